// Per-signal findings → one risk in 0..1 and the reasons shown for it.
//
// Noisy-OR: risk = 1 − Π (1 − score_i). Each finding is read as an independent chance that the
// event is off-baseline, so one strong signal is enough (a 1.0 anywhere gives risk 1), two weak
// ones add up (0.4 and 0.4 → 0.64), and signals that said nothing (score 0) change nothing. It
// treats correlated signals (a burst raises both the rate and the failure signal) as
// independent evidence, which overstates risk somewhat when they co-fire; a calibration step
// fitted on labelled alerts is the planned replacement.

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
  /** Contributing findings, highest first, at most MAX_REASONS. */
  reasons: SignalFinding[];
}

export const MAX_REASONS = 5;
/** Findings below this are folded into the risk but not listed as reasons. */
export const REASON_MIN_SCORE = 0.05;

export function combineFindings(findings: readonly SignalFinding[]): EventScore {
  let unflagged = 1;
  for (const finding of findings) unflagged *= 1 - clampScore(finding.score);
  const reasons = findings
    .filter((finding) => finding.score >= REASON_MIN_SCORE)
    .sort((a, b) => b.score - a.score || (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0))
    .slice(0, MAX_REASONS);
  return { risk: 1 - unflagged, reasons };
}

function clampScore(score: number): number {
  return score > 1 ? 1 : score > 0 ? score : 0;
}

/**
 * One more finding (the learned model's) folded into a combined score: the same noisy-OR as
 * combineFindings over all the findings, including those too small to be listed as reasons.
 */
export function addFinding(score: EventScore, finding: SignalFinding): EventScore {
  const risk = 1 - (1 - score.risk) * (1 - clampScore(finding.score));
  if (finding.score < REASON_MIN_SCORE) return { risk, reasons: score.reasons };
  const reasons = [...score.reasons, finding].sort((a, b) => b.score - a.score).slice(0, MAX_REASONS);
  return { risk, reasons };
}
