// Fan-out: how many distinct resources, and distinct delegating users, the agent reaches within
// two minutes, against how many it usually reaches in two minutes of activity. Enumeration, bulk
// harvesting and a confused deputy acting for many users look like this; a steady pace of calls
// over a few resources does not. (Event v1 has no recipient field: a send's recipient is its
// resource, so recipients are counted as resources.)
//
// Windows are tumbling, aligned on event time (10:00, 10:02, …); a late event counts in the
// current window. Two minutes, not five: measured on the labelled fixture and on a simulated
// fleet (seed 11), a five-minute window let ordinary triage passes (20 tickets in 5 minutes
// against a usual 5) outscore a 40-call burst, because a burst's count is diluted by the minutes
// it does not fill. Distinct counts use linear counting: one bit per key in a small bitmap per
// window (256 bits for resources, 128 for users), estimate −m·ln(1 − set/m) — within ~5% up to a
// few hundred keys, saturating near 1,400 and 600; no per-key state.
//
// Baseline: when a window closes, the counts it had reached at its last learned event (so what a
// flagged burst added after that is left out) feed a decayed mean and variance, weighted by the
// window's learned calls — the count a usual call sits in, as event-rate.ts samples its pace at
// arrivals, so an office agent's busy mornings are compared with busy mornings, not with an
// average diluted by quiet nights. Memory: about the last 2,048 learned calls. A field enters
// only windows where it occurred, so an agent that starts naming users is not compared with zeros.
// Score: quasi-Poisson upper tail of the current window's count against the usual, both divided
// by the learned dispersion (variance / mean, 2..25, see MIN_DISPERSION), as in event-rate.ts;
// the larger of the two fields speaks. Warm-up, as for the pace: a week of learned history (an
// agent's quiet first day would otherwise make its first busy morning a fan-out), and 20 windows
// with the field.
import { z } from 'zod';
import { hashText, hashTextPair, mixHash } from '../profile/sketches/hash.js';
import { packedIntegers } from '../profile/sketches/packed-integers.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { MINUTE_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, surpriseToScore } from './surprise.js';
import { formatCount, formatRate } from './wording.js';

export const FAN_OUT_WINDOW_MS = 2 * MINUTE_MS;
const WINDOW_IN_WORDS = '2 minutes';
export const FAN_OUT_WARMUP_MS = WEEK_MS;
const RESOURCE_BITS = 256;
const USER_BITS = 128;
const WINDOW_BITMAP_WORDS = (RESOURCE_BITS + USER_BITS) / 32;
const MEMORY_EVENTS = 2048;
const DECAY_PER_EVENT = 1 - 1 / MEMORY_EVENTS;
const MAX_DISPERSION = 25;
/**
 * Distinct counts come in clumps (a session opens several tickets at once, a triage pass walks a
 * queue), so the dispersion is at least 2 whatever the learned variance says: an agent that
 * usually reaches 4 resources in 2 minutes scores 0 for 12, ≈ 0.24 for 16 and ≈ 0.58 for 20.
 */
const MIN_DISPERSION = 2;

export class FanOutState {
  /** Start of the current window (event time). */
  windowStartMs = 0;
  /** Linear-counting bitmaps of the current window, uint32 words: resources' then users'. */
  windowBits: number[] = new Array<number>(WINDOW_BITMAP_WORDS).fill(0);
  /** Bits set in them. */
  resourceBitsSet = 0;
  userBitsSet = 0;
  /** Learned events in the current window, and the bits set as of the last of them. */
  learnedInWindow = 0;
  learnedResourceBits = 0;
  learnedUserBits = 0;
  /** Per field, over closed windows where it occurred: decayed learned calls, and their sum and sum of squares of the window's distinct count. */
  resourceWeight = 0;
  resourceSum = 0;
  resourceSquares = 0;
  userWeight = 0;
  userSum = 0;
  userSquares = 0;
  /** Closed windows that entered each field's baseline. */
  resourceWindows = 0;
  userWindows = 0;
  learnedEvents = 0;
  firstLearnedMs = 0;
  learnedMs = 0;
}

const nonNegative = z.number().finite().min(0);

export const fanOutDetector: Detector<FanOutState, 'fan_out'> = {
  name: 'fan_out',
  stateSchema: stateClassSchema(FanOutState, {
    windowStartMs: z.number().finite(),
    windowBits: packedIntegers('uint32', { length: WINDOW_BITMAP_WORDS }),
    resourceBitsSet: z.number().int().min(0).max(RESOURCE_BITS),
    userBitsSet: z.number().int().min(0).max(USER_BITS),
    learnedInWindow: z.number().int().min(0),
    learnedResourceBits: z.number().int().min(0).max(RESOURCE_BITS),
    learnedUserBits: z.number().int().min(0).max(USER_BITS),
    resourceWeight: nonNegative,
    resourceSum: nonNegative,
    resourceSquares: nonNegative,
    userWeight: nonNegative,
    userSum: nonNegative,
    userSquares: nonNegative,
    resourceWindows: z.number().int().min(0),
    userWindows: z.number().int().min(0),
    learnedEvents: z.number().int().min(0),
    firstLearnedMs: z.number().finite(),
    learnedMs: z.number().finite(),
  }),

  initialState: () => new FanOutState(),

  observeOne(state, event) {
    const windowStartMs = Math.floor(event.timeMs / FAN_OUT_WINDOW_MS) * FAN_OUT_WINDOW_MS;
    if (windowStartMs > state.windowStartMs) {
      closeWindow(state);
      state.windowStartMs = windowStartMs;
    }
    const resource = event.resource;
    if (resource !== undefined && (resource.id !== undefined || resource.type !== undefined)) {
      if (setBit(state.windowBits, 0, hashTextPair(resource.type ?? '', resource.id ?? ''), RESOURCE_BITS)) state.resourceBitsSet++;
    }
    const userId = event.on_behalf_of?.user_id;
    if (userId !== undefined && userId !== '' && setBit(state.windowBits, RESOURCE_BITS / 32, hashText(userId), USER_BITS)) state.userBitsSet++;
  },

  learnOne(state, event) {
    const atMs = Math.max(event.timeMs, state.learnedMs);
    if (state.learnedEvents === 0) state.firstLearnedMs = atMs;
    state.learnedMs = atMs;
    state.learnedInWindow++;
    state.learnedResourceBits = state.resourceBitsSet;
    state.learnedUserBits = state.userBitsSet;
    state.learnedEvents++;
  },

  scoreOne(state) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS || state.learnedMs - state.firstLearnedMs < FAN_OUT_WARMUP_MS) return WARMING_UP;
    const resources = distinctEstimate(state.resourceBitsSet, RESOURCE_BITS);
    const users = distinctEstimate(state.userBitsSet, USER_BITS);
    const resourceSurprise =
      state.resourceWindows < MIN_LEARNED_OBSERVATIONS ? 0 : fieldSurprise(resources, state.resourceWeight, state.resourceSum, state.resourceSquares);
    const userSurprise = state.userWindows < MIN_LEARNED_OBSERVATIONS ? 0 : fieldSurprise(users, state.userWeight, state.userSum, state.userSquares);
    const score = surpriseToScore(Math.max(resourceSurprise, userSurprise));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const [count, weight, sum, noun] =
      resourceSurprise >= userSurprise
        ? [resources, state.resourceWeight, state.resourceSum, 'resources']
        : [users, state.userWeight, state.userSum, 'delegating users'];
    return {
      score,
      reason: `${formatCount(count)} distinct ${noun} within ${WINDOW_IN_WORDS}; usually ${formatRate(sum / weight)} in ${WINDOW_IN_WORDS} of activity`,
    };
  },
};

/** Folds the window that ends into the baseline (if any of its events was learned) and clears it. */
function closeWindow(state: FanOutState): void {
  const calls = state.learnedInWindow;
  if (calls > 0) {
    const decay = DECAY_PER_EVENT ** calls;
    if (state.learnedResourceBits > 0) {
      const distinct = distinctEstimate(state.learnedResourceBits, RESOURCE_BITS);
      state.resourceWeight = state.resourceWeight * decay + calls;
      state.resourceSum = state.resourceSum * decay + calls * distinct;
      state.resourceSquares = state.resourceSquares * decay + calls * distinct * distinct;
      state.resourceWindows++;
    }
    if (state.learnedUserBits > 0) {
      const distinct = distinctEstimate(state.learnedUserBits, USER_BITS);
      state.userWeight = state.userWeight * decay + calls;
      state.userSum = state.userSum * decay + calls * distinct;
      state.userSquares = state.userSquares * decay + calls * distinct * distinct;
      state.userWindows++;
    }
  }
  state.windowBits.fill(0);
  state.resourceBitsSet = 0;
  state.userBitsSet = 0;
  state.learnedInWindow = 0;
  state.learnedResourceBits = 0;
  state.learnedUserBits = 0;
}

/** Sets the key's bit in the bitmap of `bits` bits starting at word `firstWord`; true if it was not set. */
function setBit(words: number[], firstWord: number, key: number, bits: number): boolean {
  const bit = mixHash(key) & (bits - 1);
  const word = firstWord + (bit >>> 5);
  const mask = 1 << (bit & 31);
  const current = words[word] ?? 0;
  if ((current & mask) !== 0) return false;
  words[word] = (current | mask) >>> 0;
  return true;
}

/** Linear counting: distinct keys behind `set` of `bits` bits set (a full bitmap counts as half a bit short of full). */
export function distinctEstimate(set: number, bits: number): number {
  if (set <= 0) return 0;
  return -bits * Math.log(1 - Math.min(set, bits - 0.5) / bits);
}

function fieldSurprise(current: number, weight: number, sum: number, squares: number): number {
  if (current <= 0 || weight <= 0) return 0;
  const usual = sum / weight;
  const variance = Math.max(0, squares / weight - usual * usual);
  const dispersion = Math.min(MAX_DISPERSION, Math.max(MIN_DISPERSION, variance / usual));
  return poissonSurprise(current / dispersion, usual / dispersion);
}
