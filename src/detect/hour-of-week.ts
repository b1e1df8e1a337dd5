// Hour of week: is the agent active at an hour when it usually is not?
//
// A 168-bin histogram (Monday 00:00 UTC = bin 0) of learned events, in fixed point (16 units
// per event, 12-bit bins: 255 events) so halving keeps fractions of quiet hours. Decay is by event
// time: every 4 weeks all bins are halved, and also whenever a bin would overflow (which for a
// busy agent makes the histogram a relative profile of its recent weeks — all scoring uses is
// shares of the total). 12 bits rather than 16 keep the histogram at 336 characters of JSON in
// the 4 KB profile; a Warden 0.1.0 checkpoint's 16-bit bins are halved until they fit. Each bin is smoothed with
// half of each neighbouring hour, so work that starts a little earlier than usual is not flagged.
//
// p = share of the agent's (smoothed, +0.1 event per bin) activity falling in hours "about as
// quiet" as this one: at most twice as busy plus 4 events. Twice, because the hours still to come
// this week have one week less of history than the hours already past; plus 4 events, because
// for a sparse agent a few events more or less in an hour is Poisson noise — an hour it happened
// not to use in a week of 1–2 calls an hour is not an unusual hour. So p is small only when the
// agent is busy and this hour has been (nearly) empty for a meaningful stretch. Warm-up: the
// histogram needs 7 days of learned history before an empty hour means anything.
// Unusual timing alone is context, not evidence: the score is capped at 0.4 (below the default
// learnBelowRisk) so a legitimately new schedule is learned rather than flagged forever; together
// with another signal it raises the risk.
import { z } from 'zod';
import { packedUint12 } from '../profile/sketches/packed-integers.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { HOUR_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN, ignoreObservation } from './detector.js';
import { surpriseToScore } from './surprise.js';
import { formatHourOfWeek, formatShare } from './wording.js';

export const HOURS_PER_WEEK = 168;
const HALVING_PERIOD_MS = 4 * WEEK_MS;
/** Fixed-point units one event adds to its bin. */
export const UNITS_PER_EVENT = 16;
export const MAX_BIN_UNITS = 0xfff - UNITS_PER_EVENT;
/** Prior weight of every bin (0.1 event): how believable activity in a never-used hour is. */
const SMOOTHING_PER_BIN = 0.1 * UNITS_PER_EVENT;
/** Hours up to QUIET_RATIO × as busy + QUIET_SLACK_UNITS count as "about as quiet" (see the top comment). */
const QUIET_RATIO = 2;
const QUIET_SLACK_UNITS = 4 * UNITS_PER_EVENT;
export const MAX_HOUR_OF_WEEK_SCORE = 0.4;
/** A quiet share of 1% or more is surprise ≤ 2: score 0 (surprise.ts). */
const SCORED_SHARE_LIMIT = 0.01;
/** 1970-01-01 was a Thursday: 72 hours after a Monday 00:00. */
const EPOCH_HOUR_OF_WEEK = 72;

export class HourOfWeekState {
  /** Learned events per hour of week, in UNITS_PER_EVENT fixed point (uint16). */
  hourWeights: number[] = new Array<number>(HOURS_PER_WEEK).fill(0);
  /** Sum of `hourWeights`. */
  totalWeight = 0;
  learnedEvents = 0;
  firstLearnedMs = 0;
  learnedMs = 0;
  /** floor(learnedMs / 4 weeks) when the bins were last halved for age. */
  halvingPeriod = 0;
}

export function hourOfWeek(timeMs: number): number {
  const hour = Math.floor(timeMs / HOUR_MS) + EPOCH_HOUR_OF_WEEK;
  return ((hour % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

export const hourOfWeekDetector: Detector<HourOfWeekState, 'hour_of_week'> = {
  name: 'hour_of_week',
  stateSchema: z.codec(
    z.unknown(),
    stateClassSchema(HourOfWeekState, {
      hourWeights: packedUint12(HOURS_PER_WEEK),
      totalWeight: z.number().int().min(0),
      learnedEvents: z.number().int().min(0),
      firstLearnedMs: z.number().finite(),
      learnedMs: z.number().finite(),
      halvingPeriod: z.number().int(),
    }).refine((state) => state.hourWeights.reduce((sum, n) => sum + n, 0) === state.totalWeight, {
      message: 'totalWeight is not the sum of hourWeights',
    }),
    { decode: (json) => upgradeSixteenBitBins(json) as never, encode: (json) => json },
  ),

  initialState: () => new HourOfWeekState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const atMs = Math.max(event.timeMs, state.learnedMs);
    const period = Math.floor(atMs / HALVING_PERIOD_MS);
    if (state.learnedEvents === 0) {
      state.firstLearnedMs = atMs;
      state.halvingPeriod = period;
    } else if (period > state.halvingPeriod) {
      for (let halvings = Math.min(period - state.halvingPeriod, 16); halvings > 0; halvings--) halveBins(state);
      state.halvingPeriod = period;
    }
    const bin = hourOfWeek(event.timeMs);
    if ((state.hourWeights[bin] ?? 0) > MAX_BIN_UNITS) halveBins(state);
    state.hourWeights[bin] = (state.hourWeights[bin] ?? 0) + UNITS_PER_EVENT;
    state.totalWeight += UNITS_PER_EVENT;
    state.learnedEvents++;
    state.learnedMs = atMs;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS || state.learnedMs - state.firstLearnedMs < WEEK_MS) return WARMING_UP;
    const bin = hourOfWeek(event.timeMs);
    // Smoothed bins sum to 2 × totalWeight (each event counts once in its bin, ½ in each neighbour).
    const smoothedTotal = 2 * state.totalWeight + HOURS_PER_WEEK * SMOOTHING_PER_BIN;
    const binWeight = smoothedWeight(state.hourWeights, bin);
    if (binWeight >= SCORED_SHARE_LIMIT * smoothedTotal) return unremarkable(0);
    // Only a quiet share below 1% can score; stop summing as soon as it is known to be above.
    const quietLimit = QUIET_RATIO * binWeight + QUIET_SLACK_UNITS;
    const enoughMass = SCORED_SHARE_LIMIT * smoothedTotal;
    let quietMass = 0;
    for (let other = 0; other < HOURS_PER_WEEK && quietMass < enoughMass; other++) {
      const weight = smoothedWeight(state.hourWeights, other);
      if (weight <= quietLimit) quietMass += weight;
    }
    if (quietMass >= enoughMass) return unremarkable(0);
    const quietShare = quietMass / smoothedTotal;
    const score = Math.min(MAX_HOUR_OF_WEEK_SCORE, surpriseToScore(-Math.log10(quietShare)));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    return {
      score,
      reason: `active ${formatHourOfWeek(bin)}, an hour with ${formatShare(binWeight / smoothedTotal)} of this agent's usual activity`,
    };
  },
};

function smoothedWeight(hourWeights: number[], bin: number): number {
  const before = hourWeights[(bin + HOURS_PER_WEEK - 1) % HOURS_PER_WEEK] ?? 0;
  const after = hourWeights[(bin + 1) % HOURS_PER_WEEK] ?? 0;
  return (hourWeights[bin] ?? 0) + 0.5 * (before + after) + SMOOTHING_PER_BIN;
}

function halveBins(state: HourOfWeekState): void {
  let total = 0;
  for (let i = 0; i < HOURS_PER_WEEK; i++) {
    const halved = (state.hourWeights[i] ?? 0) >>> 1;
    state.hourWeights[i] = halved;
    total += halved;
  }
  state.totalWeight = total;
}

/**
 * A Warden 0.1.0 slice (numbers as fields, 16-bit bins) with its bins halved until they fit 12
 * bits and its total recomputed; anything else is passed on unchanged to be checked.
 */
function upgradeSixteenBitBins(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || 'n' in json) return json;
  const slice = json as Record<string, unknown>;
  if (typeof slice.hourWeights !== 'string') return json;
  const bytes = Buffer.from(slice.hourWeights, 'base64');
  if (bytes.length !== HOURS_PER_WEEK * 2) return json;
  const bins = Array.from({ length: HOURS_PER_WEEK }, (_, i) => bytes.readUInt16LE(i * 2));
  while (bins.some((bin) => bin > MAX_BIN_UNITS)) for (let i = 0; i < HOURS_PER_WEEK; i++) bins[i] = (bins[i] ?? 0) >>> 1;
  return { ...slice, hourWeights: packedUint12(HOURS_PER_WEEK).encode(bins), totalWeight: bins.reduce((sum, bin) => sum + bin, 0) };
}
