// One detector pass's findings → the detectors' own view of an event: their raw evidence as one
// number and the findings worth naming. This is what decides whether the event may enter the
// agent's baseline (score-event.ts); the risk Warden stores and alerts on is calibrated from the
// same findings in calibrate.ts.
//
// Noisy-OR: evidence = 1 − Π (1 − score_i). Each finding is read as an independent chance that the
// event is off-baseline, so one strong signal is enough (a 1.0 anywhere gives 1), two weak ones
// add up (0.4 and 0.4 → 0.64), and signals that said nothing (score 0) change nothing.

import { WEAK_SCORE_MAX } from './surprise.js';

export interface SignalFinding {
  signal: string;
  /** 0..1 */
  score: number;
  /** Plain words with numbers. */
  reason: string;
}

export interface EventScore {
  /** 0..1: the noisy-OR of the named findings. */
  risk: number;
  /** Findings of at least REASON_MIN_SCORE, highest first. */
  reasons: SignalFinding[];
  /**
   * The weak evidence of the findings below REASON_MIN_SCORE (surprise.ts), in units: each adds
   * min(1, score / WEAK_SCORE_MAX), so at most one per detector. Kept as one number rather than
   * as findings — most events have a few, and objects for them cost a quarter of scoring's speed.
   * Absent when there is none.
   */
  weakEvidence?: number;
}

/** The learned model's signal name (src/learn/ produces it; detect/ calibrates it with the rest). */
export const LEARNED_MODEL_SIGNAL = 'model_autoencoder';

/** Reasons stored with a calibrated score (calibrate.ts). */
export const MAX_REASONS = 5;
/** Findings below this are folded into the risk but not listed as reasons. */
export const REASON_MIN_SCORE = 0.05;

/** Noisy-OR of the findings; every finding of at least REASON_MIN_SCORE as a reason, highest first; the event's weak evidence passed on. */
export function combineFindings(findings: readonly SignalFinding[], weakEvidence = 0): EventScore {
  let unflagged = 1;
  for (const finding of findings) unflagged *= 1 - clampScore(finding.score);
  const reasons = findings
    .filter((finding) => finding.score >= REASON_MIN_SCORE)
    .sort((a, b) => b.score - a.score || (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0));
  return weakEvidence > 0 ? { risk: 1 - unflagged, reasons, weakEvidence } : { risk: 1 - unflagged, reasons };
}

/** One unit of weak evidence per finding at or above WEAK_SCORE_MAX, a share of one below it. */
export function weakEvidenceUnits(score: number): number {
  return score >= WEAK_SCORE_MAX ? 1 : score / WEAK_SCORE_MAX;
}

function clampScore(score: number): number {
  return score > 1 ? 1 : score > 0 ? score : 0;
}
