import { describe, expect, it } from 'vitest';
import { episodeWins, kindMargin } from '../../../src/evaluate/kind-margins.js';
import { type LabelledStream, measureDetector } from '../../../src/evaluate/metrics.js';
import { type EvaluationResult, kindsClearlyAhead } from '../../../src/evaluate/run-evaluation.js';

/** Benign scores 0, 1, 2, 3; episode 0 (kind a) scores 2.5 and 2; episode 1 (kind a) 3.5; episode 2 (kind b) 0.5. */
const stream: LabelledStream = {
  episodeOf: Int32Array.from([-1, 0, -1, 1, -1, 0, -1, 2]),
  timeMs: Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
  episodes: [
    { kind: 'a', startMs: 1 },
    { kind: 'a', startMs: 3 },
    { kind: 'b', startMs: 7 },
  ],
  kinds: ['a', 'b'],
};
const scores = Float64Array.from([0, 2.5, 1, 3.5, 2, 2, 3, 0.5]);

/** Per-episode wins built by hand: `sums[e]` over `counts[e]` events. */
function wins(sums: number[], counts: number[]) {
  return { sums: Float64Array.from(sums), counts: Uint32Array.from(counts) };
}

describe('episodeWins', () => {
  it("sums each event's share of benign events it outscores, ties counting half", () => {
    const { sums, counts } = episodeWins(scores, stream);
    // 2.5 beats 0, 1, 2 (3/4); 2 beats 0, 1 and ties 2 (2.5/4); 3.5 beats all four; 0.5 beats 0.
    expect([...sums]).toEqual([0.75 + 0.625, 1, 0.25]);
    expect([...counts]).toEqual([2, 1, 1]);
  });

  it('gives, per kind, the ROC-AUC that measureDetector reports', () => {
    const { sums, counts } = episodeWins(scores, stream);
    const figures = measureDetector(scores, stream);
    expect((sums[0]! + sums[1]!) / (counts[0]! + counts[1]!)).toBeCloseTo(figures.perKind.a!.rocAuc!, 12);
    expect(sums[2]! / counts[2]!).toBeCloseTo(figures.perKind.b!.rocAuc!, 12);
  });
});

describe('kindMargin', () => {
  it('is the ROC-AUC difference on the episodes as drawn, here +0.5', () => {
    // Warden: 1.5 over 2 events (0.75); reference: 0.5 over 2 (0.25).
    const margin = kindMargin(wins([1, 0.5], [1, 1]), wins([0.25, 0.25], [1, 1]), [0, 1]);
    expect(margin?.margin).toBeCloseTo(0.5, 12);
  });

  it('is ahead in every resample when Warden outranks the reference on every episode', () => {
    const margin = kindMargin(wins([0.9, 0.8, 0.95], [1, 1, 1]), wins([0.5, 0.6, 0.7], [1, 1, 1]), [0, 1, 2]);
    expect(margin?.wardenAheadShare).toBe(1);
    // The margins of single episodes are 0.4, 0.2, 0.25: every resample lies between.
    expect(margin!.low).toBeGreaterThanOrEqual(0.2);
    expect(margin!.high).toBeLessThanOrEqual(0.4);
  });

  it('is ahead in about half the resamples when one episode goes each way', () => {
    // Two episodes, drawn twice each resample: {0,0} ahead (+0.5), {1,1} behind (−0.5), mixed a
    // tie (counts half): P(ahead) = ¼ + ½ × ½ = ½.
    const margin = kindMargin(wins([1, 0], [1, 1]), wins([0.5, 0.5], [1, 1]), [0, 1], 4000);
    expect(margin?.margin).toBe(0);
    expect(margin!.wardenAheadShare).toBeGreaterThan(0.46);
    expect(margin!.wardenAheadShare).toBeLessThan(0.54);
    expect(margin!.low).toBe(-0.5);
    expect(margin!.high).toBe(0.5);
  });

  it('weighs episodes by their events, as the ROC-AUC does', () => {
    // Episode 0 has 3 events at 1 (sum 3), episode 1 one at 0: Warden 3/4; reference 0.5 each: 0.5.
    expect(kindMargin(wins([3, 0], [3, 1]), wins([1.5, 0.5], [3, 1]), [0, 1])?.margin).toBeCloseTo(0.25, 12);
  });

  it('is deterministic and null for a kind without events', () => {
    const warden = wins([1, 0, 0.7], [1, 1, 1]);
    const reference = wins([0.5, 0.5, 0.6], [1, 1, 1]);
    expect(kindMargin(warden, reference, [0, 1, 2])).toEqual(kindMargin(warden, reference, [0, 1, 2]));
    expect(kindMargin(warden, reference, [])).toBeNull();
  });
});

describe('kindsClearlyAhead', () => {
  it('keeps the kinds where Warden leads every reference in at least 95% of resamples', () => {
    const margin = (wardenAheadShare: number) => ({ margin: 0.1, low: 0, high: 0.2, wardenAheadShare });
    const margins = {
      a: { rate_zscore: margin(1), isolation_forest: margin(0.95) },
      b: { rate_zscore: margin(1), isolation_forest: margin(0.9) },
      c: { rate_zscore: null, isolation_forest: margin(1) },
    } as EvaluationResult['kindMargins'];
    expect(kindsClearlyAhead(['a', 'b', 'c'], margins)).toEqual(['a']);
  });
});
