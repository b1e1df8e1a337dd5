import { describe, expect, it } from 'vitest';
import { labelledAttackMetrics, rocAuc } from '../../../src/learn/model-metrics.js';

describe('model metrics', () => {
  it('ROC AUC counts the share of (attack, other) pairs ranked right, ties as half', () => {
    expect(rocAuc([1, 2, 3], [4, 5])).toBe(1);
    expect(rocAuc([4, 5], [1, 2, 3])).toBe(0);
    // pairs: 2>1 ✓, 2<3 ✗, 3=3 ½ , 3>1 ✓ → 2.5 of 4
    expect(rocAuc([1, 3], [2, 3])).toBeCloseTo(0.625, 12);
    expect(rocAuc([], [1])).toBe(0.5);
  });

  it('compare the detectors alone with the detectors and the model combined by noisy-OR', () => {
    const quantiles = { p99: 0.01, p999: 0.02 }; // model score = (error − 0.01) / 0.05, clamped
    const metrics = labelledAttackMetrics(
      // model scores 0, 0, 0.1, 0 → combined 0, 0.9, 0.1, 0.2
      { errors: Float32Array.from([0.001, 0.002, 0.015, 0.003]), risks: Float32Array.from([0, 0.9, 0, 0.2]) },
      // model scores 0, 0.6, 1 → combined 0.7, 0.84, 1
      { errors: Float32Array.from([0.005, 0.04, 0.2]), risks: Float32Array.from([0.7, 0.6, 0.1]), kinds: ['a', 'b', 'b'] },
      quantiles,
      0.8,
    );
    expect(metrics).toMatchObject({ attackRows: 3, heldOutRows: 4, alertThreshold: 0.8 });
    expect(metrics.rocAuc.model).toBeCloseTo(11 / 12, 12);
    expect(metrics.rocAuc.detectors).toBeCloseTo(8 / 12, 12);
    expect(metrics.rocAuc.combined).toBeCloseTo(10 / 12, 12);
    expect(metrics.attacksAlerted.detectors).toBe(0);
    expect(metrics.attacksAlerted.combined).toBeCloseTo(2 / 3, 12);
    expect(metrics.heldOutAlerted).toEqual({ detectors: 0.25, combined: 0.25 });
    expect(metrics.modelScored.attacks).toBeCloseTo(2 / 3, 12);
    expect(metrics.modelScored.heldOut).toBe(0.25);
    expect(metrics.byKind.a).toEqual({ rows: 1, detectorsAlert: 0, combinedAlert: 0, modelScored: 0, meanModelScore: 0 });
    expect(metrics.byKind.b).toMatchObject({ rows: 2, detectorsAlert: 0, combinedAlert: 1, modelScored: 1 });
    expect(metrics.byKind.b?.meanModelScore).toBeCloseTo(0.8, 6);
  });
});
