// A bounded sample of a quantity (bytes, records) with cached robust statistics: median and
// median absolute deviation (MAD) of log(1 + value).
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
  const { logSamples } = reservoir;
  const count = logSamples.length;
  if (count === 0) return;
  // Median and MAD in whole steps rather than with simple-statistics over logSample / 1024, which
  // copied the sample twice and ran six selections (~3.3 µs a refresh, ~5% of scoring on the
  // bench, where agents are new and refresh every 8 values): one sort, then a walk out from the
  // median, ~1.5 µs. Bit-identical to it: every value either way is a multiple of 1/4096 far
  // below 2^53 steps, so each of its subtractions, halvings and additions is exact, and so is
  // the one division here by a power of two.
  const sorted = SORT_SCRATCH.subarray(0, count);
  for (let i = 0; i < count; i++) sorted[i] = logSamples[i] as number;
  sorted.sort();
  const medianTwice = middleSum(sorted);
  reservoir.medianLog = medianTwice / (2 * LOG_STEPS_PER_UNIT);
  reservoir.madLog = middleDeviationSum(sorted, medianTwice) / (4 * LOG_STEPS_PER_UNIT);
}

/** Reused by every refresh (it holds nothing between calls), so a refresh allocates no backing store. */
const SORT_SCRATCH = new Int32Array(SAMPLE_SIZE);

/** Indexes of the middle value(s) of `count` sorted values: the same twice for an odd count. */
function middleIndexes(count: number): [lower: number, upper: number] {
  const upper = count >> 1;
  return [count % 2 === 0 ? upper - 1 : upper, upper];
}

/** Twice the median of sorted steps (the sum of the two middle values, or the middle one doubled). */
function middleSum(sorted: Int32Array): number {
  const [lower, upper] = middleIndexes(sorted.length);
  return (sorted[lower] as number) + (sorted[upper] as number);
}

/**
 * Twice the median of the absolute deviations |2 · step − medianTwice| of sorted steps: they
 * grow outwards from the median on both sides, so merging the two sides in order up to the
 * middle rank finds it without sorting the deviations.
 */
function middleDeviationSum(sorted: Int32Array, medianTwice: number): number {
  const count = sorted.length;
  const [lower, upper] = middleIndexes(count);
  let below = lower;
  let above = lower + 1;
  let lowerDeviation = 0;
  for (let rank = 0; ; rank++) {
    const belowDeviation = below >= 0 ? medianTwice - 2 * (sorted[below] as number) : Number.POSITIVE_INFINITY;
    const aboveDeviation = above < count ? 2 * (sorted[above] as number) - medianTwice : Number.POSITIVE_INFINITY;
    const deviation = belowDeviation <= aboveDeviation ? belowDeviation : aboveDeviation;
    if (belowDeviation <= aboveDeviation) below--;
    else above++;
    if (rank === lower) lowerDeviation = deviation;
    if (rank === upper) return lowerDeviation + deviation;
  }
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
