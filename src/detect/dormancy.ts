// Dormancy: an agent silent for days that suddenly acts — a forgotten ("zombie") agent whose
// still-valid credentials someone else is now using looks exactly like this.
//
// Silence is the gap before a call since the agent's previous call of any kind (observeOne, every
// event). It counts as dormancy when it is at least MIN_DORMANT_MS (3 days) and at least
// DORMANT_RATIO (2) × the agent's usual longest gap: the largest gap between its learned calls,
// kept as a maximum that fades with an 8-week time constant — so an office agent (weekends of
// 2.6 days) wakes from a week's silence as dormant, a weekly batch job never does, and a long
// outage is forgiven after a couple of months. The 3-day floor keeps a young agent that has not
// lived a weekend yet from being flagged on its first Monday.
//
// The whole first stretch after waking is the suspect, not only its first call: every call within
// WAKE_WINDOW_MS (2 hours) of the waking call is scored with the silence that preceded it and the
// usual longest gap as it was before it (the waking call, if learned, becomes the new longest gap
// and must not excuse its own session).
//
// Score: 0.30 at 2× the usual longest gap, +0.10 per doubling, capped at MAX_DORMANCY_SCORE
// (0.45) — on its own below learnBelowRisk, because people take holidays; with another signal
// (a new network, an unusual action) it tips the risk over. Warm-up: DORMANCY_MIN_LEARNED (5)
// learned calls, not a week or the usual 20 calls: zombies are often agents that lived briefly —
// a demo, one session — and were forgotten with their credentials. A history shorter than a day
// (BRIEF_HISTORY_MS) has not shown a night's gap, let alone a weekend or a weekly rhythm, so its
// silence must outlast a week and a day (BRIEF_HISTORY_MIN_DORMANT_MS) to count; longer
// histories keep the 3-day floor. The floor is decided when the silence ends (observeOne), so
// the calls after the waking one are judged by the history the agent had before it. For the
// same reason dormancy is also asked while the agent's whole profile is still warming up (it
// implements scoreWithPeers, which scoreAndLearn calls in that phase, but compares the agent only
// with itself: a silence has no peer baseline).
import { z } from 'zod';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { DAY_MS, decayFactor, HOUR_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { formatDuration } from './wording.js';

export const MIN_DORMANT_MS = 3 * DAY_MS;
export const DORMANT_RATIO = 2;
export const WAKE_WINDOW_MS = 2 * HOUR_MS;
export const BRIEF_HISTORY_MS = DAY_MS;
export const BRIEF_HISTORY_MIN_DORMANT_MS = 8 * DAY_MS;
export const LONGEST_GAP_TIME_CONSTANT_MS = 8 * WEEK_MS;
export const MAX_DORMANCY_SCORE = 0.45;
export const DORMANCY_MIN_LEARNED = 5;
const SCORE_AT_RATIO = 0.3;
const SCORE_PER_DOUBLING = 0.1;

export class DormancyState {
  /** Newest call time observed. */
  latestMs = 0;
  /** The call that ended the last silence of at least MIN_DORMANT_MS, that silence, and the usual longest gap before it (0: none). */
  wakeMs = 0;
  wakeGapMs = 0;
  longestGapBeforeWakeMs = 0;
  /** Newest learned call, first learned call, and the fading longest gap between learned calls. */
  learnedMs = 0;
  firstLearnedMs = 0;
  longestGapMs = 0;
  learnedEvents = 0;
}

const time = z.number().finite();
const duration = z.number().finite().min(0);

export const dormancyDetector: Detector<DormancyState, 'dormancy'> = {
  name: 'dormancy',
  stateSchema: stateClassSchema(DormancyState, {
    latestMs: time,
    wakeMs: time,
    wakeGapMs: duration,
    longestGapBeforeWakeMs: duration,
    learnedMs: time,
    firstLearnedMs: time,
    longestGapMs: duration,
    learnedEvents: z.number().int().min(0),
  }),

  initialState: () => new DormancyState(),

  observeOne(state, event) {
    if (state.latestMs > 0 && event.timeMs - state.latestMs >= minDormantMs(state)) {
      state.wakeMs = event.timeMs;
      state.wakeGapMs = event.timeMs - state.latestMs;
      state.longestGapBeforeWakeMs = state.longestGapMs;
    }
    if (event.timeMs > state.latestMs) state.latestMs = event.timeMs;
  },

  learnOne(state, event) {
    const atMs = Math.max(event.timeMs, state.learnedMs);
    if (state.learnedEvents === 0) {
      state.firstLearnedMs = atMs;
    } else {
      const gapMs = atMs - state.learnedMs;
      state.longestGapMs = Math.max(gapMs, state.longestGapMs * decayFactor(gapMs, LONGEST_GAP_TIME_CONSTANT_MS));
    }
    state.learnedMs = atMs;
    state.learnedEvents++;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < DORMANCY_MIN_LEARNED) return WARMING_UP;
    const sinceWakeMs = event.timeMs - state.wakeMs;
    if (state.wakeMs === 0 || sinceWakeMs < 0 || sinceWakeMs > WAKE_WINDOW_MS) return unremarkable(0);
    const score = dormancyScore(state.wakeGapMs, state.longestGapBeforeWakeMs);
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const after = sinceWakeMs === 0 ? 'first call' : `call ${formatDuration(sinceWakeMs)} into activity`;
    return {
      score,
      reason: `${after} after ${formatDuration(state.wakeGapMs)} of silence; this agent's longest usual gap is ${formatDuration(state.longestGapBeforeWakeMs)}`,
    };
  },

  // Asked during the profile's warm-up too (see the top comment); peers play no part.
  scoreWithPeers(state, event) {
    return dormancyDetector.scoreOne(state, event);
  },
};

/** The shortest silence that counts: a week and a day after a history shorter than a day, else 3 days. */
function minDormantMs(state: DormancyState): number {
  return state.learnedMs - state.firstLearnedMs < BRIEF_HISTORY_MS ? BRIEF_HISTORY_MIN_DORMANT_MS : MIN_DORMANT_MS;
}

/** 0 below 3 days or 2× the usual longest gap; then 0.30, +0.10 per doubling, at most 0.45. */
export function dormancyScore(gapMs: number, longestGapMs: number): number {
  if (gapMs < MIN_DORMANT_MS) return 0;
  const ratio = longestGapMs > 0 ? gapMs / longestGapMs : Number.POSITIVE_INFINITY;
  if (ratio < DORMANT_RATIO) return 0;
  return Math.min(MAX_DORMANCY_SCORE, SCORE_AT_RATIO + SCORE_PER_DOUBLING * Math.log2(ratio / DORMANT_RATIO));
}
