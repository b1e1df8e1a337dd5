import { describe, expect, it } from 'vitest';
import { laplaceUpperTailLog10, logGamma, poissonSurprise, poissonUpperTailLog10, surpriseToScore, WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';

/** P(X ≥ k) for X ~ Poisson(λ) and integer k, by summing the pmf from k upward (no cancellation). */
function poissonTailBySum(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) term *= lambda / i;
  let tail = 0;
  for (let i = k; i < k + 500; i++) {
    tail += term;
    term *= lambda / (i + 1);
  }
  return tail;
}

describe('poissonUpperTailLog10', () => {
  it('matches hand-checked tails', () => {
    // P(X ≥ 5 | 1) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6 + 1/24) = 0.0036598
    expect(10 ** poissonUpperTailLog10(5, 1)).toBeCloseTo(0.0036598, 7);
    // P(X ≥ 1 | 0.01) = 1 − e^−0.01 = 0.0099502
    expect(10 ** poissonUpperTailLog10(1, 0.01)).toBeCloseTo(0.0099502, 7);
    // P(X ≥ 10 | 2) = 4.650e-5
    expect(10 ** poissonUpperTailLog10(10, 2)).toBeCloseTo(4.6498e-5, 8);
  });

  it('agrees with summing the pmf for integer counts, far into the tail', () => {
    for (const [k, lambda] of [
      [3, 0.4],
      [12, 3],
      [40, 20],
      [30, 2.6],
      [60, 2.6],
    ] as const) {
      expect(poissonUpperTailLog10(k, lambda)).toBeCloseTo(Math.log10(poissonTailBySum(k, lambda)), 6);
    }
    // 60 calls in a minute against a usual 2.6: p ≈ 7e-59, still a finite surprise.
    expect(poissonUpperTailLog10(60, 2.6)).toBeCloseTo(-58.13, 2);
  });

  it('is continuous between integers (decayed counts are not whole numbers)', () => {
    const between = poissonUpperTailLog10(5.5, 1);
    expect(between).toBeLessThan(poissonUpperTailLog10(5, 1));
    expect(between).toBeGreaterThan(poissonUpperTailLog10(6, 1));
  });

  it('says nothing (0) at or below the expected count', () => {
    expect(poissonUpperTailLog10(2, 2)).toBe(0);
    expect(poissonUpperTailLog10(0.5, 2)).toBe(0);
  });
});

describe('poissonSurprise', () => {
  it('skips the tail within two standard deviations, where it is above 2% anyway', () => {
    expect(poissonSurprise(13.9, 9)).toBe(0);
    expect(poissonSurprise(20, 9)).toBeCloseTo(-poissonUpperTailLog10(20, 9), 12);
  });
});

describe('laplaceUpperTailLog10', () => {
  it('is 0.5 · e^(−√2 z)', () => {
    expect(laplaceUpperTailLog10(0)).toBeCloseTo(Math.log10(0.5), 12);
    expect(laplaceUpperTailLog10(Math.LN10 / Math.SQRT2)).toBeCloseTo(Math.log10(0.05), 12);
    expect(laplaceUpperTailLog10(5)).toBeCloseTo(Math.log10(0.5 * Math.exp(-5 * Math.SQRT2)), 12);
    expect(laplaceUpperTailLog10(-1)).toBeCloseTo(Math.log10(1 - 0.5 * Math.exp(-Math.SQRT2)), 12);
  });
});

describe('surpriseToScore', () => {
  it('maps −log10 p linearly from 2 (score 0.001) to 6 (score 1)', () => {
    expect(surpriseToScore(3)).toBe(0.25);
    expect(surpriseToScore(4)).toBe(0.5);
    expect(surpriseToScore(6)).toBe(1);
    expect(surpriseToScore(56)).toBe(1);
    expect(surpriseToScore(Number.POSITIVE_INFINITY)).toBe(1);
    // Just above the 1% level (L − 2)/4 is below WEAK_SCORE_MAX and lifted to it: 0.002/4 = 0.0005 → 0.001.
    expect(surpriseToScore(2.002)).toBe(WEAK_SCORE_MAX);
    // Once (L − 2)/4 clears it, the line again: 0.01/4 = 0.0025.
    expect(surpriseToScore(2.01)).toBeCloseTo(0.0025, 12);
  });

  it('maps a surprise up to 2 (p ≥ 1%) to weak evidence: 0.0005 per unit of L, at most WEAK_SCORE_MAX', () => {
    expect(WEAK_SCORE_MAX).toBe(0.001);
    expect(surpriseToScore(2)).toBe(0.001); // 0.001 · 2/2
    expect(surpriseToScore(1)).toBe(0.0005); // 0.001 · 1/2
    expect(surpriseToScore(0.5)).toBe(0.00025); // 0.001 · 0.5/2
    expect(surpriseToScore(0)).toBe(0);
    expect(surpriseToScore(-1)).toBe(0);
    expect(surpriseToScore(Number.NaN)).toBe(0);
  });
});

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9); // ln 100!
  });
});
