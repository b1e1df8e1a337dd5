import { describe, expect, it } from 'vitest';
import { MODEL_FEATURE_COUNT } from '../../../src/learn/features.js';
import { calibratedScore, errorOfScore, errorQuantiles, reconstructionErrors } from '../../../src/learn/autoencoder.js';
import { benignRows, offDistributionRow, trainTinyModel } from './fixtures/model-rows.js';

describe('autoencoder', () => {
  it('reconstructs an off-distribution row worse than any held-out benign row', async () => {
    const trained = await trainTinyModel();
    const heldOut = benignRows(300, 99);
    const benignErrors = reconstructionErrors(trained.model, heldOut, 300, MODEL_FEATURE_COUNT);
    const [offError] = reconstructionErrors(trained.model, offDistributionRow(), 1, MODEL_FEATURE_COUNT);
    expect(offError).toBeGreaterThan(10 * Math.max(...benignErrors));
    expect(calibratedScore(offError as number, trained.quantiles)).toBe(1);
    const benignScores = Array.from(benignErrors, (error) => calibratedScore(error, trained.quantiles));
    expect(benignScores.filter((score) => score > 0).length).toBeLessThanOrEqual(15); // about 1% above p99
    expect(trained.history.loss.at(-1)).toBeLessThan(trained.history.loss[0] as number);
    trained.model.dispose();
  });

  it('trains the same weights twice under one seed', async () => {
    const rows = benignRows(400);
    const first = await trainTinyModel(rows);
    const second = await trainTinyModel(rows);
    expect(second.history.loss).toEqual(first.history.loss);
    expect(second.quantiles).toEqual(first.quantiles);
    first.model.dispose();
    second.model.dispose();
  });
});

describe('score calibration', () => {
  const quantiles = { p99: 0.01, p999: 0.02 };

  it('is 0 up to the 99th percentile, rises linearly and is 1 from 3× the 99.9th percentile', () => {
    expect(calibratedScore(0.005, quantiles)).toBe(0);
    expect(calibratedScore(0.01, quantiles)).toBe(0);
    // span = 3·0.02 − 0.01 = 0.05
    expect(calibratedScore(0.02, quantiles)).toBeCloseTo(0.2, 10);
    expect(calibratedScore(0.035, quantiles)).toBeCloseTo(0.5, 10);
    expect(calibratedScore(0.06, quantiles)).toBe(1);
    expect(calibratedScore(5, quantiles)).toBe(1);
    expect(errorOfScore(0.5, quantiles)).toBeCloseTo(0.035, 10);
  });

  it('places quantiles by linear interpolation between ranks', () => {
    const errors = Float32Array.from({ length: 1001 }, (_, index) => index / 1000);
    const q = errorQuantiles(errors);
    expect(q.p50).toBeCloseTo(0.5, 6);
    expect(q.p99).toBeCloseTo(0.99, 6);
    expect(q.p999).toBeCloseTo(0.999, 6);
    expect(q.max).toBeCloseTo(1, 6);
  });
});
