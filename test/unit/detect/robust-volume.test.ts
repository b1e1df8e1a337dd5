import { describe, expect, it } from 'vitest';
import { bytesVolumeDetector as bytes } from '../../../src/detect/bytes-volume.js';
import { recordsVolumeDetector as records } from '../../../src/detect/records-volume.js';
import { logSpread, volumeZScore } from '../../../src/detect/robust-volume.js';
import { WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { createRobustReservoir } from '../../../src/profile/sketches/robust-reservoir.js';
import { learnEvents, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const transfer = (byteCount: number, i = 0) => auditEvent({ timeMs: T0 + i * MINUTE, bytes: byteCount });

describe('robust volume z-score', () => {
  it('is (log(1 + x) − median) / max(1.4826 · MAD, 0.25) on the log scale', () => {
    const reservoir = { ...createRobustReservoir(), medianLog: 9.4, madLog: 0.4 };
    const spread = 1.4826 * 0.4;
    expect(volumeZScore(reservoir, Math.expm1(9.4 + 5 * spread))).toBeCloseTo(5, 10);
    const constant = { ...createRobustReservoir(), medianLog: 9.4, madLog: 0 };
    expect(volumeZScore(constant, Math.expm1(9.4 + 1))).toBeCloseTo(4, 10); // floor spread 0.25
  });
});

describe('bytes_volume', () => {
  it('scores z = 5 as the Laplace tail 0.5·e^(−5√2) = 4.2e-4 → 0.343', () => {
    // 64 transfers: 32 of e^9 − 1 bytes and 32 of e^10 − 1 → median log 9.5, MAD 0.5.
    const state = learnEvents(
      bytes,
      bytes.initialState(),
      Array.from({ length: 64 }, (_, i) => transfer(Math.expm1(i % 2 ? 9 : 10), i)),
    );
    expect([state.reservoir.medianLog, state.reservoir.madLog]).toEqual([9.5, 0.5]);
    const verdict = bytes.scoreOne(state, transfer(Math.expm1(9.5 + 5 * 1.4826 * 0.5)));
    const p = 0.5 * Math.exp(-5 * Math.SQRT2);
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(p) - 2) / 4, 3);
  });

  it('explains a large transfer against the usual median', () => {
    const state = learnEvents(
      bytes,
      bytes.initialState(),
      Array.from({ length: 64 }, (_, i) => transfer(12_000, i)),
    );
    const verdict = bytes.scoreOne(state, transfer(4_100_000));
    expect(scoreOf(verdict)).toBe(1);
    expect(reasonOf(verdict)).toBe('4.1 MB transferred in one call; usual median 12 KB');
  });

  it('does not score smaller-than-usual transfers or calls without a size', () => {
    const state = learnEvents(
      bytes,
      bytes.initialState(),
      Array.from({ length: 64 }, (_, i) => transfer(12_000, i)),
    );
    expect(scoreOf(bytes.scoreOne(state, transfer(10)))).toBe(0);
    expect(scoreOf(bytes.scoreOne(state, auditEvent({ timeMs: T0 })))).toBe(0);
    bytes.learnOne(state, auditEvent({ timeMs: T0 }));
    expect(state.reservoir.offered).toBe(64);
  });

  it('warms up until 16 sizes are sampled', () => {
    const state = learnEvents(
      bytes,
      bytes.initialState(),
      Array.from({ length: 15 }, (_, i) => transfer(12_000, i)),
    );
    expect(bytes.scoreOne(state, transfer(4_100_000))).toEqual({ warmingUp: true });
  });
});

describe('records_volume', () => {
  it('explains a bulk read against the usual median', () => {
    const events = Array.from({ length: 64 }, (_, i) => auditEvent({ timeMs: T0 + i * MINUTE, records: 3 }));
    const state = learnEvents(records, records.initialState(), events);
    const verdict = records.scoreOne(state, auditEvent({ timeMs: T0, records: 5000 }));
    expect(scoreOf(verdict)).toBe(1);
    expect(reasonOf(verdict)).toBe('5,000 records in one call; usual median 3');
  });

  it('allows for the counting noise of small counts: 8 records against a usual 1 is not news, 1,000 is', () => {
    const events = Array.from({ length: 64 }, (_, i) => auditEvent({ timeMs: T0 + i * MINUTE, records: 1 }));
    const state = learnEvents(records, records.initialState(), events);
    // Median log(1 + 1) = ln 2, MAD 0: the spread is e^(−ln 2 / 2) = 1/√2, not the 0.25 floor.
    expect(logSpread(state.reservoir.medianLog, state.reservoir.madLog)).toBeCloseTo(Math.SQRT1_2, 3);
    expect(scoreOf(records.scoreOne(state, auditEvent({ timeMs: T0, records: 8 })))).toBeLessThanOrEqual(WEAK_SCORE_MAX); // z = 2.1: weak evidence at most
    const z = (Math.log1p(1000) - state.reservoir.medianLog) / Math.exp(-state.reservoir.medianLog / 2); // 8.8
    const p = 0.5 * Math.exp(-Math.SQRT2 * z);
    expect(scoreOf(records.scoreOne(state, auditEvent({ timeMs: T0, records: 1000 })))).toBeCloseTo((-Math.log10(p) - 2) / 4, 10); // 0.925
  });
});
