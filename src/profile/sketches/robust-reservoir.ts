// A bounded sample of a quantity (bytes, records) with cached robust statistics: median and
// median absolute deviation (MAD) of log(1 + value), computed with simple-statistics.
//
// Values are kept on the log scale scoring uses, quantized to 1/1024 (0.1% relative precision)
// in 16 bits, so a 64-value sample of multi-gigabyte transfers costs 172 bytes of JSON, not 700.
//
// Sampling is deterministic, with no RNG: a hash of the running count of offered values decides
// whether and where a value replaces an old one (the same stream always keeps the same sample;
// hashing the count rather than the event id saves hashing a string per event). Up to
// SAMPLE_SIZE values are kept; after that the n-th value offered enters with probability
// SAMPLE_SIZE / min(n, RECENCY_WINDOW) — classic reservoir sampling until RECENCY_WINDOW values,
// then a fixed 1-in-64 intake — so the sample describes roughly the last RECENCY_WINDOW values
// rather than the agent's whole life.
//
// The statistics are recomputed every REFRESH_EVERY accepted values (every FILL_REFRESH_EVERY
// while the sample is filling), not per event: sorting 64 numbers per event would dominate
// scoring. They are stored with the sample so a profile restored from JSON scores exactly as
// before. Consumers should not trust them below 8 samples (the volume detectors wait for 16).
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { z } from 'zod';
import { mixHash } from './hash.js';
import { packedObjectSchema } from '../state-class-schema.js';
import { packedIntegers } from './packed-integers.js';

export interface RobustReservoir {
  /** round(log(1 + value) · LOG_STEPS_PER_UNIT), uint16. */
  logSamples: number[];
  /** Values offered so far (accepted or not). */
  offered: number;
  /** Values accepted since the statistics were last recomputed. */
  acceptedSinceRefresh: number;
  /** Median and MAD of log(1 + value). */
  medianLog: number;
  madLog: number;
}

export const SAMPLE_SIZE = 64;
export const RECENCY_WINDOW = 4096;
export const REFRESH_EVERY = 16;
/** While the sample is filling, the statistics are recomputed at 8, 16, 24, … values. */
export const FILL_REFRESH_EVERY = 8;
export const LOG_STEPS_PER_UNIT = 1024;
/** log(1 + Number.MAX_SAFE_INTEGER) ≈ 36.7, so 16 bits at 1/1024 cover every valid value. */
const MAX_LOG_SAMPLE = 0xffff;

export function createRobustReservoir(): RobustReservoir {
  return { logSamples: [], offered: 0, acceptedSinceRefresh: 0, medianLog: 0, madLog: 0 };
}

export function reservoirOffer(reservoir: RobustReservoir, value: number): void {
  reservoir.offered++;
  const logSample = Math.min(MAX_LOG_SAMPLE, Math.round(Math.log1p(Math.max(0, value)) * LOG_STEPS_PER_UNIT));
  const { logSamples } = reservoir;
  if (logSamples.length < SAMPLE_SIZE) {
    logSamples.push(logSample);
    if (logSamples.length % FILL_REFRESH_EVERY === 0) refreshStatistics(reservoir);
    return;
  }
  const draw = mixHash(reservoir.offered);
  if (draw % Math.min(reservoir.offered, RECENCY_WINDOW) >= SAMPLE_SIZE) return;
  logSamples[mixHash(draw) % SAMPLE_SIZE] = logSample;
  if (++reservoir.acceptedSinceRefresh >= REFRESH_EVERY) refreshStatistics(reservoir);
}

export function refreshStatistics(reservoir: RobustReservoir): void {
  reservoir.acceptedSinceRefresh = 0;
  if (reservoir.logSamples.length === 0) return;
  const logs = reservoir.logSamples.map((logSample) => logSample / LOG_STEPS_PER_UNIT);
  reservoir.medianLog = median(logs);
  reservoir.madLog = medianAbsoluteDeviation(logs);
}

/** The sample's median in the quantity's own unit (for wording: "usual median 12 KB"). */
export function reservoirMedian(reservoir: RobustReservoir): number {
  return Math.expm1(reservoir.medianLog);
}

export const robustReservoirSchema = packedObjectSchema({
  logSamples: packedIntegers('uint16', { maxLength: SAMPLE_SIZE }),
  offered: z.number().int().min(0),
  acceptedSinceRefresh: z.number().int().min(0).max(REFRESH_EVERY),
  medianLog: z.number().finite().min(0),
  madLog: z.number().finite().min(0),
});
