import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/evaluate/reference/seeded-random.js';
import {
  createRobustReservoir,
  LOG_STEPS_PER_UNIT,
  REFRESH_EVERY,
  refreshStatistics,
  reservoirMedian,
  reservoirOffer,
  robustReservoirSchema,
  SAMPLE_SIZE,
} from '../../../../src/profile/sketches/robust-reservoir.js';

describe('robust reservoir', () => {
  it('has the median and MAD of log(1 + value) of a known sample', () => {
    const reservoir = createRobustReservoir();
    // log(1 + value) = 1 … 8: median 4.5; absolute deviations 3.5 2.5 1.5 0.5 0.5 1.5 2.5 3.5 → MAD 2.
    for (const k of [4, 1, 8, 5, 2, 7, 3, 6]) reservoirOffer(reservoir, Math.expm1(k));
    expect(reservoir.logSamples).toEqual([4096, 1024, 8192, 5120, 2048, 7168, 3072, 6144]);
    expect(reservoir.medianLog).toBe(4.5);
    expect(reservoir.madLog).toBe(2);
    expect(reservoirMedian(reservoir)).toBeCloseTo(Math.E ** 4.5 - 1, 10); // 89.017…
  });

  it('has, to the bit, the median and MAD simple-statistics computes over the logs, for any sample size', () => {
    const random = seededRandom(7);
    for (let size = 1; size <= SAMPLE_SIZE; size++) {
      const reservoir = createRobustReservoir();
      // Clustered steps, so ties and equal middle values occur, as in real samples.
      reservoir.logSamples = Array.from({ length: size }, () => Math.floor(random() * 40) * Math.floor(1 + random() * 900));
      refreshStatistics(reservoir);
      const logs = reservoir.logSamples.map((logSample) => logSample / LOG_STEPS_PER_UNIT);
      expect(Object.is(reservoir.medianLog, median(logs))).toBe(true);
      expect(Object.is(reservoir.madLog, medianAbsoluteDeviation(logs))).toBe(true);
    }
  });

  it('recomputes its statistics every 8 values while filling', () => {
    const reservoir = createRobustReservoir();
    for (let i = 0; i < 7; i++) reservoirOffer(reservoir, 100);
    expect(reservoir.medianLog).toBe(0);
    reservoirOffer(reservoir, 100);
    expect(reservoir.medianLog).toBeCloseTo(Math.log1p(100), 3);
  });

  it('keeps at most 64 values and refreshes its statistics every 16 accepted values, not per value', () => {
    const reservoir = createRobustReservoir();
    for (let i = 0; i < 10_000; i++) reservoirOffer(reservoir, 100 + (i % 10));
    expect(reservoir.logSamples).toHaveLength(SAMPLE_SIZE);
    expect(reservoir.offered).toBe(10_000);
    expect(reservoir.acceptedSinceRefresh).toBeLessThan(REFRESH_EVERY);
  });

  it('samples deterministically: the same stream keeps the same sample', () => {
    const first = createRobustReservoir();
    const second = createRobustReservoir();
    for (let i = 0; i < 5000; i++) {
      reservoirOffer(first, (i * 7919) % 100_000);
      reservoirOffer(second, (i * 7919) % 100_000);
    }
    expect(second).toEqual(first);
  });

  it('follows the recent level rather than the whole history', () => {
    const reservoir = createRobustReservoir();
    for (let i = 0; i < 4096; i++) reservoirOffer(reservoir, 100);
    for (let i = 0; i < 40_000; i++) reservoirOffer(reservoir, 10_000);
    expect(Math.abs(reservoirMedian(reservoir) - 10_000) / 10_000).toBeLessThan(0.001);
  });

  it('quantizes to 0.1% and caps at the largest safe integer', () => {
    const reservoir = createRobustReservoir();
    for (let i = 0; i < 8; i++) reservoirOffer(reservoir, 12_000);
    expect(Math.abs(reservoirMedian(reservoir) - 12_000) / 12_000).toBeLessThan(0.0005);
    reservoirOffer(reservoir, Number.MAX_SAFE_INTEGER);
    expect(reservoir.logSamples[8]).toBeLessThanOrEqual(0xffff);
  });

  it('round-trips through JSON', () => {
    const reservoir = createRobustReservoir();
    for (let i = 0; i < 100; i++) reservoirOffer(reservoir, i * 1000);
    expect(robustReservoirSchema.decode(robustReservoirSchema.encode(reservoir))).toEqual(reservoir);
  });
});
