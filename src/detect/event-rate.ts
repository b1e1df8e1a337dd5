// Event rate: how fast the agent is calling right now against how fast it usually calls when active.
//
// Time and out-of-order events. Every decay here runs on event time (`timeMs`), never the
// machine clock, so replaying a week in seconds gives the same state as living it. Decay only
// moves forward: an event older than the newest one this detector has seen is folded in at that
// newest time (no negative decay). Any lateness is tolerated and nothing is dropped, but a late
// event adds to the *current* short window instead of the minute it belonged to, so a backlog
// delivered late reads as a burst; in the learned baseline a late event only carries slightly
// less weight than it would have if it had arrived on time.
//
// Short window (observeOne, every event): an exponentially decayed count with a 60 s time
// constant (half-life 41.6 s). For a steady pace of r calls per minute it settles at r, so it
// reads directly as "calls/min over the last minute".
//
// Usual pace (learnOne, unflagged events): the short-window count each learned event saw (its
// "arrival count") feeds two time-decayed means and variances, one with a 1-day and one with a
// 7-day time constant; the usual pace is the larger mean. Sampling at arrivals weights each hour
// by its traffic, so an agent busy 09–17 is compared with its working-hours pace rather than a
// 24-hour average diluted by idle nights, and a quiet night never looks unusual (only the upper
// tail is scored). The 7-day mean remembers weekday pace over a quiet weekend (Monday 09:00 is
// not a burst); the 1-day mean follows a pace that has grown in the last days. Because the
// count includes the event itself, an agent calling once an hour has a usual pace of ~1/min.
//
// Warm-up: a pace baseline needs a full weekly cycle. Until the learned history spans 7 days
// (and holds MIN_LEARNED_OBSERVATIONS events) this detector reports warmingUp: an agent whose
// first day happened to be quiet would otherwise find its first busy morning flagged, and since
// flagged events are not learned, stay flagged. The cost: a burst in an agent's first week is
// left to the other signals.
//
// Score: quasi-Poisson upper tail P(X ≥ now | usual): both counts are divided by the learned
// dispersion φ = max(1, variance / mean) of the arrival counts, so an agent whose calls come in
// bursts by nature is not flagged for its ordinary bursts. The 7-day weight also gives the
// long-run average rate for the baseline summary.
import { z } from 'zod';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { decayFactor, DAY_MS, MINUTE_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, surpriseToScore } from './surprise.js';
import { formatRate } from './wording.js';

export const RECENT_WINDOW_MS = MINUTE_MS;
export const RECENT_PACE_TIME_CONSTANT_MS = DAY_MS;
export const LONG_PACE_TIME_CONSTANT_MS = WEEK_MS;
export const PACE_WARMUP_MS = WEEK_MS;
/** Cap on the dispersion factor: even a very bursty agent is flagged for a large enough burst. */
const MAX_DISPERSION = 25;

/** Arrival counts decayed over time: total weight, sum and sum of squares. */
export class DecayedMoments {
  weight = 0;
  sum = 0;
  squares = 0;
}

export class EventRateState {
  /** Newest event time seen; the short window is decayed to it. */
  latestMs = 0;
  /** Decayed count of all events (time constant RECENT_WINDOW_MS) ≈ calls in the last minute. */
  recentCount = 0;
  /** Newest learned event time; the learned moments are decayed to it. */
  learnedMs = 0;
  firstLearnedMs = 0;
  learnedEvents = 0;
  /** Arrival counts decayed with RECENT_PACE_TIME_CONSTANT_MS (1 day). */
  dayPace = new DecayedMoments();
  /** The same with LONG_PACE_TIME_CONSTANT_MS (7 days); its weight also gives the average rate. */
  weekPace = new DecayedMoments();
}

const finite = z.number().finite();
const nonNegative = finite.min(0);
const decayedMomentsSchema = stateClassSchema(DecayedMoments, { weight: nonNegative, sum: nonNegative, squares: nonNegative });

export const eventRateDetector: Detector<EventRateState, 'event_rate'> = {
  name: 'event_rate',
  stateSchema: stateClassSchema(EventRateState, {
    latestMs: finite,
    recentCount: nonNegative,
    learnedMs: finite,
    firstLearnedMs: finite,
    learnedEvents: z.number().int().min(0),
    dayPace: decayedMomentsSchema,
    weekPace: decayedMomentsSchema,
  }),

  initialState: () => new EventRateState(),

  observeOne(state, event) {
    const atMs = Math.max(event.timeMs, state.latestMs);
    state.recentCount = state.recentCount * decayFactor(atMs - state.latestMs, RECENT_WINDOW_MS) + 1;
    state.latestMs = atMs;
  },

  learnOne(state, event) {
    const atMs = Math.max(event.timeMs, state.learnedMs);
    if (state.learnedEvents === 0) state.firstLearnedMs = atMs;
    const elapsedMs = atMs - state.learnedMs;
    addArrival(state.dayPace, decayFactor(elapsedMs, RECENT_PACE_TIME_CONSTANT_MS), state.recentCount);
    addArrival(state.weekPace, decayFactor(elapsedMs, LONG_PACE_TIME_CONSTANT_MS), state.recentCount);
    state.learnedMs = atMs;
    state.learnedEvents++;
  },

  scoreOne(state) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS || state.learnedMs - state.firstLearnedMs < PACE_WARMUP_MS) return WARMING_UP;
    const pace = mean(state.dayPace) >= mean(state.weekPace) ? state.dayPace : state.weekPace;
    const usual = mean(pace);
    const variance = Math.max(0, pace.squares / pace.weight - usual * usual);
    const dispersion = Math.min(MAX_DISPERSION, Math.max(1, variance / usual));
    const score = surpriseToScore(poissonSurprise(state.recentCount / dispersion, usual / dispersion));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    return {
      score,
      reason: `${formatRate(state.recentCount)} calls/min over the last minute; usual ${formatRate(usual)}/min when active`,
    };
  },
};

function addArrival(moments: DecayedMoments, decay: number, arrivalCount: number): void {
  moments.weight = moments.weight * decay + 1;
  moments.sum = moments.sum * decay + arrivalCount;
  moments.squares = moments.squares * decay + arrivalCount * arrivalCount;
}

function mean(moments: DecayedMoments): number {
  return moments.weight > 0 ? moments.sum / moments.weight : 0;
}

/** Mean short-window count seen by learned events: the agent's usual pace when active, per minute. */
export function usualPacePerMinute(state: EventRateState): number {
  return Math.max(mean(state.dayPace), mean(state.weekPace));
}

/** Long-run average calls per minute (7-day decay), over the time the agent has been learned. */
export function averageEventsPerMinute(state: EventRateState): number {
  if (state.learnedEvents === 0) return 0;
  const spanMs = state.learnedMs - state.firstLearnedMs;
  const exposureMs = LONG_PACE_TIME_CONSTANT_MS * -Math.expm1(-spanMs / LONG_PACE_TIME_CONSTANT_MS);
  return state.weekPace.weight / (Math.max(exposureMs, MINUTE_MS) / MINUTE_MS);
}
