import { describe, expect, it } from 'vitest';
import { combineFindings } from '../../../src/detect/combine.js';

const finding = (signal: string, score: number) => ({ signal, score, reason: `${signal} reason` });

describe('combineFindings', () => {
  it('combines with noisy-OR: 1 − Π(1 − score)', () => {
    expect(combineFindings([finding('a', 0.4), finding('b', 0.4)]).risk).toBeCloseTo(0.64, 12);
    expect(combineFindings([finding('a', 0.5), finding('b', 0.5), finding('c', 0.5)]).risk).toBeCloseTo(0.875, 12);
    expect(combineFindings([finding('a', 1), finding('b', 0.1)]).risk).toBe(1);
    expect(combineFindings([]).risk).toBe(0);
  });

  it('lists every finding of at least 0.05 as a reason, highest first (calibration picks the top five)', () => {
    const scores = [0.2, 0.9, 0.04, 0.3, 0.5, 0.1, 0.6];
    const { reasons, risk } = combineFindings(scores.map((score, i) => finding(`s${i}`, score)));
    expect(reasons.map((reason) => reason.score)).toEqual([0.9, 0.6, 0.5, 0.3, 0.2, 0.1]);
    expect(risk).toBeCloseTo(1 - scores.reduce((keep, score) => keep * (1 - score), 1), 12);
  });

  it('orders equal scores by signal name, so reasons are deterministic', () => {
    expect(combineFindings([finding('b', 0.3), finding('a', 0.3)]).reasons.map((r) => r.signal)).toEqual(['a', 'b']);
  });
});
