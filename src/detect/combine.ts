// One detector pass's findings → the detectors' own view of an event: their raw evidence as one
// number and the findings worth naming. This is what decides whether the event may enter the
// agent's baseline (score-event.ts); the risk Warden stores and alerts on is calibrated from the
// same findings in calibrate.ts.
//
// Noisy-OR: evidence = 1 − Π (1 − score_i). Each finding is read as an independent chance that the
// event is off-baseline, so one strong signal is enough (a 1.0 anywhere gives 1), two weak ones
// add up (0.4 and 0.4 → 0.64), and signals that said nothing (score 0) change nothing.

export interface SignalFinding {
  signal: string;
  /** 0..1 */
  score: number;
  /** Plain words with numbers. */
  reason: string;
}

export interface EventScore {
  /** 0..1 */
  risk: number;
  /** Every finding above 0, highest first (those below REASON_MIN_SCORE are not listed as reasons). */
  reasons: SignalFinding[];
}

/** The learned model's signal name (src/learn/ produces it; detect/ calibrates it with the rest). */
export const LEARNED_MODEL_SIGNAL = 'model_autoencoder';

/** Reasons stored with a calibrated score (calibrate.ts). */
export const MAX_REASONS = 5;
/** Findings below this are folded into the risk but not listed as reasons. */
export const REASON_MIN_SCORE = 0.05;

/**
 * Noisy-OR of the findings (each above 0), and the findings themselves sorted in place, highest
 * first: calibrate.ts weighs them all (the weak ones too, surprise.ts) and lists those of at least
 * REASON_MIN_SCORE.
 */
export function combineFindings(findings: SignalFinding[]): EventScore {
  let unflagged = 1;
  for (const finding of findings) unflagged *= 1 - clampScore(finding.score);
  const reasons = findings.sort((a, b) => b.score - a.score || (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0));
  return { risk: 1 - unflagged, reasons };
}

function clampScore(score: number): number {
  return score > 1 ? 1 : score > 0 ? score : 0;
}
