import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  detectEpisodes,
  EXCLUDED,
  type LabelledStream,
  measureDetector,
  median,
  NEGATIVE,
  POSITIVE,
  rocAuc,
  thresholdForFalseAlertBudget,
  topNegativeScore,
} from '../../../src/evaluate/metrics.js';

const P = POSITIVE;
const N = NEGATIVE;

describe('rocAuc', () => {
  it('is 0.75 when one of the two positives is outranked by one of the two negatives', () => {
    // Positives 0.9 (beats both negatives) and 0.7 (beats 0.6 only): 3 of 4 pairs.
    expect(rocAuc([0.9, 0.8, 0.7, 0.6], [P, N, P, N])).toBe(0.75);
  });

  it('counts a tie between a positive and a negative as half a win', () => {
    // The positive ties one negative (½) and beats the other (1): 1.5 of 2 pairs.
    expect(rocAuc([0.5, 0.5, 0.2], [P, N, N])).toBe(0.75);
    expect(rocAuc([1, 1, 1, 1], [P, N, P, N])).toBe(0.5);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, and ignores excluded events', () => {
    expect(rocAuc([3, 2, 1], [P, N, N])).toBe(1);
    expect(rocAuc([3, 2, 1], [N, N, P])).toBe(0);
    expect(rocAuc([9, 3, 2, 1], [EXCLUDED, P, N, N])).toBe(1);
  });

  it('is null without positives or without negatives', () => {
    expect(rocAuc([1, 2], [N, N])).toBeNull();
    expect(rocAuc([1, 2], [P, EXCLUDED])).toBeNull();
  });
});

describe('averagePrecision', () => {
  it('averages the precision at each positive', () => {
    // Ranked: P (precision 1/1), N, P (2/3): (1 + 2/3) / 2 = 5/6.
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6], [P, N, P, N])).toBeCloseTo(5 / 6, 12);
    // Ranked: N, P (1/2), N, P (2/4): (1/2 + 1/2) / 2 = 1/2.
    expect(averagePrecision([4, 3, 2, 1], [N, P, N, P])).toBeCloseTo(0.5, 12);
  });

  it('treats tied events as one step', () => {
    // {0.5: P, N} is one step at precision 1/2 reaching full recall.
    expect(averagePrecision([0.5, 0.5, 0.2], [P, N, N])).toBe(0.5);
    // Ranked: P (1/1) then {P, N, N} (2/4): 1/2 × 1 + 1/2 × 1/2 = 0.75.
    expect(averagePrecision([0.9, 0.3, 0.3, 0.3], [P, P, N, N])).toBe(0.75);
  });

  it('is null without positives', () => {
    expect(averagePrecision([1, 2], [N, N])).toBeNull();
  });
});

describe('thresholdForFalseAlertBudget', () => {
  // 2,000 negatives scoring 0.000..1.999 (by 0.001) plus three positives: 1 per 1,000 allows 2.
  const negatives = Array.from({ length: 2000 }, (_, i) => i / 1000);
  const scores = [...negatives, 5, 1.9985, 0.5];
  const classes = [...negatives.map(() => N), P, P, P];

  it('is the smallest score that flags at most budget × negatives benign events', () => {
    // Negatives ≥ 1.998: two (1.998, 1.999). The positive at 1.9985 lies above; 1.997 would make three.
    expect(thresholdForFalseAlertBudget(scores, classes, 1 / 1000)).toBe(1.998);
  });

  it('keeps going down through scores held only by positives', () => {
    // Budget 1/10,000 of 2,000 allows 0 negatives: the lowest value above every negative is 5.
    expect(thresholdForFalseAlertBudget(scores, classes, 1 / 10_000)).toBe(5);
    expect(thresholdForFalseAlertBudget([3, 2, 1], [P, P, N], 0)).toBe(2);
  });

  it('is +∞ when even the top score is a negative over budget', () => {
    expect(thresholdForFalseAlertBudget([3, 2, 1], [N, P, P], 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('never splits a tie: tied negatives count together', () => {
    // 1,000 negatives allow 1; the top two tie at 0.9, so 0.9 would flag 2.
    const tied = [0.9, 0.9, 0.95, 0.1, ...Array<number>(997).fill(0)];
    expect(thresholdForFalseAlertBudget(tied, [N, N, P, ...Array<number>(998).fill(N)], 1 / 1000)).toBe(0.95);
  });
});

describe('detectEpisodes', () => {
  it('reports how many episode events came before the first flagged one and the seconds since the episode start', () => {
    const scores = [0.1, 0.2, 0.9, 0.1, 0.95, 0.3];
    const episodeOf = [-1, 0, 0, 1, 0, 1];
    const timeMs = [0, 10_000, 20_000, 25_000, 30_000, 40_000];
    const detections = detectEpisodes(scores, episodeOf, timeMs, [5_000, 24_000], 0.8);
    expect(detections[0]).toEqual({ detected: true, eventsToDetect: 1, secondsToDetect: 15 });
    expect(detections[1]).toEqual({ detected: false, eventsToDetect: Number.NaN, secondsToDetect: Number.NaN });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('measureDetector', () => {
  // 10,000 benign events: two score 0.9, ten 0.6, the rest 0. Episode 0 (kind a) scores
  // 0.2, 0.95, 0.99; episode 1 (kind b) 0.5, 0.1.
  const benign = 10_000;
  const scores = new Float64Array(benign + 5);
  scores.fill(0.9, 17, 19);
  scores.fill(0.6, 100, 110);
  const episodeOf = new Int32Array(benign + 5).fill(-1);
  const timeMs = new Float64Array(benign + 5).map((_, i) => i * 1000);
  const rows = [
    [benign, 0, 0.2],
    [benign + 1, 0, 0.95],
    [benign + 2, 1, 0.5],
    [benign + 3, 0, 0.99],
    [benign + 4, 1, 0.1],
  ] as const;
  for (const [row, episode, score] of rows) {
    episodeOf[row] = episode;
    scores[row] = score;
  }
  const stream: LabelledStream = {
    episodeOf,
    timeMs,
    episodes: [
      { kind: 'a', startMs: benign * 1000 - 4000 },
      { kind: 'b', startMs: (benign + 2) * 1000 },
    ],
    kinds: ['a', 'b'],
  };
  const figures = measureDetector(scores, stream);

  it('sets one threshold per budget from all benign events', () => {
    expect(figures.thresholdAt1Per1000).toBe(0.9); // 10 allowed: the two at 0.9 pass, the ten at 0.6 would make 12
    expect(figures.thresholdAt1Per10000).toBe(0.95); // 1 allowed: not even 0.9
    expect(figures.topBenign).toEqual({ score: 0.9, negatives: 2 });
  });

  it('measures recall and time to detect per kind and overall', () => {
    // Kind a is caught at its second event, 5 s after its start; kind b never reaches 0.9.
    expect(figures.perKind.a).toMatchObject({ recallAt1Per1000: 1, recallAt1Per10000: 1, medianTtdEvents: 1, medianTtdSeconds: 5 });
    expect(figures.perKind.b).toMatchObject({ recallAt1Per1000: 0, recallAt1Per10000: 0, medianTtdEvents: null, medianTtdSeconds: null });
    expect(figures).toMatchObject({ recallAt1Per1000: 0.5, medianTtdEvents: 1, medianTtdSeconds: 5 });
  });

  it('ranks each kind against every benign event only', () => {
    // Kind a: 0.2 beats the 9,988 zeros; 0.95 and 0.99 beat all 10,000.
    expect(figures.perKind.a?.rocAuc).toBeCloseTo((9988 + 10_000 + 10_000) / 30_000, 12);
    // Kind b: 0.5 and 0.1 each beat the 9,988 zeros.
    expect(figures.perKind.b?.rocAuc).toBeCloseTo((9988 + 9988) / 20_000, 12);
  });
});

describe('topNegativeScore', () => {
  it('says how many negatives share the highest negative score, which no threshold can split', () => {
    expect(topNegativeScore([1, 1, 1, 0.5, 1], [P, N, N, N, P])).toEqual({ score: 1, negatives: 2 });
    expect(topNegativeScore([1, 2], [P, P])).toBeNull();
  });
});
