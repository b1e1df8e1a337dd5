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
// bursts by nature is not flagged for its ordinary bursts. What a learned call adds is winsorised,
// and a call whose pace is already surprising adds nothing (PROTECT_SURPRISE): a burst cannot
// teach the baseline that it is normal, even before it is risky enough to be flagged. The 7-day weight also gives the
// long-run average rate for the baseline summary.
import { z } from 'zod';
import type { PeerComparison } from '../profile/peer-baselines.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { decayFactor, DAY_MS, MINUTE_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, type DetectorVerdict, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, surpriseToScore } from './surprise.js';
import { formatPeerNote, formatRate } from './wording.js';

export const RECENT_WINDOW_MS = MINUTE_MS;
export const RECENT_PACE_TIME_CONSTANT_MS = DAY_MS;
export const LONG_PACE_TIME_CONSTANT_MS = WEEK_MS;
export const PACE_WARMUP_MS = WEEK_MS;
/** Cap on the dispersion factor: even a very bursty agent is flagged for a large enough burst. */
const MAX_DISPERSION = 25;
/**
 * Protecting the baseline from the event being learned. Learning is decided for the whole event
 * (risk below learnBelowRisk), so the first calls of a runaway loop — not yet risky as a whole —
 * used to be learned, each adding its ever larger count: on a simulated fleet a loop of 10 calls
 * a second raised its agent's usual pace from 5 to 48/min and its dispersion to the cap within
 * seconds, and then scored 0 (the loop hid itself; the counts rise one per call, so none was
 * surprising against a baseline rising with it). So a learned call weighs at most its share of
 * LEARN_SPACING_MS since the previous one (a loop of 10 calls a second teaches as much as one call
 * a second; calls seconds apart weigh 1 as before); once warmed up its count is winsorised at
 * usual + 3·√(usual · dispersion) (about the 0.5% tail); and a call whose pace already has
 * surprise ≥ PROTECT_SURPRISE (p ≤ 0.001, score ≥ 0.25) adds nothing. A growing pace is still
 * learned, in steps that are not surprising.
 */
export const PROTECT_SURPRISE = 3;
const WINSOR_SPREADS = 3;
const LEARN_SPACING_MS = 1000;

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
    // Time passes for the baseline either way; what is added is protected (see PROTECT_SURPRISE).
    let arrivalWeight = state.learnedEvents === 0 ? 1 : Math.min(1, elapsedMs / LEARN_SPACING_MS);
    let arrivalCount = state.recentCount;
    if (paceWarmedUp(state)) {
      const usual = usualPacePerMinute(state);
      const dispersion = dispersionOf(usual, paceVariance(state));
      if (poissonSurprise(arrivalCount / dispersion, usual / dispersion) >= PROTECT_SURPRISE) arrivalWeight = 0;
      else arrivalCount = Math.min(arrivalCount, usual + WINSOR_SPREADS * Math.sqrt(usual * dispersion));
    }
    addArrival(state.dayPace, decayFactor(elapsedMs, RECENT_PACE_TIME_CONSTANT_MS), arrivalCount, arrivalWeight);
    addArrival(state.weekPace, decayFactor(elapsedMs, LONG_PACE_TIME_CONSTANT_MS), arrivalCount, arrivalWeight);
    state.learnedMs = atMs;
    state.learnedEvents++;
  },

  scoreOne(state) {
    if (!paceWarmedUp(state)) return WARMING_UP;
    const usual = usualPacePerMinute(state);
    return paceVerdict(state.recentCount, usual, dispersionOf(usual, paceVariance(state)), undefined, 0);
  },

  // The peers' usual pace and dispersion, blended with the agent's own by how much of the week of
  // history the own baseline needs it already has.
  scoreWithPeers(state, event, peers) {
    const ownWeight = state.learnedEvents < MIN_LEARNED_OBSERVATIONS ? 0 : Math.min(1, (state.learnedMs - state.firstLearnedMs) / PACE_WARMUP_MS);
    const { usualPacePerMinute: peerUsual, paceDispersion: peerDispersion } = peers.summary;
    if (ownWeight >= 1 || !(peerUsual > 0)) return eventRateDetector.scoreOne(state, event);
    const peerWeight = 1 - ownWeight;
    let usual = peerUsual;
    let dispersion = peerDispersion;
    if (ownWeight > 0) {
      const ownUsual = usualPacePerMinute(state);
      usual = ownWeight * ownUsual + peerWeight * peerUsual;
      dispersion = ownWeight * dispersionOf(ownUsual, paceVariance(state)) + peerWeight * peerDispersion;
    }
    return paceVerdict(state.recentCount, usual, dispersion, peers, peerWeight);
  },
};

function paceVerdict(recentCount: number, usual: number, dispersion: number, peers: PeerComparison | undefined, peerWeight: number): DetectorVerdict {
  const score = surpriseToScore(poissonSurprise(recentCount / dispersion, usual / dispersion));
  if (score < WORDED_SCORE_MIN) return unremarkable(score);
  const reason = `${formatRate(recentCount)} calls/min over the last minute; usual ${formatRate(usual)}/min when active`;
  return peers === undefined ? { score, reason } : { score, reason: reason + formatPeerNote(peers.basis, peerWeight), peerWeight };
}

function dispersionOf(usual: number, variance: number): number {
  return usual > 0 ? Math.min(MAX_DISPERSION, Math.max(1, variance / usual)) : 1;
}

/** Variance of the arrival counts behind the usual pace (the same 1-day or 7-day moments). */
export function paceVariance(state: EventRateState): number {
  const pace = mean(state.dayPace) >= mean(state.weekPace) ? state.dayPace : state.weekPace;
  const usual = mean(pace);
  return pace.weight > 0 ? Math.max(0, pace.squares / pace.weight - usual * usual) : 0;
}

function paceWarmedUp(state: EventRateState): boolean {
  return state.learnedEvents >= MIN_LEARNED_OBSERVATIONS && state.learnedMs - state.firstLearnedMs >= PACE_WARMUP_MS;
}

/** Decays the moments by `decay` and adds `weight` (1, or 0 to let only time pass) of one arrival count. */
function addArrival(moments: DecayedMoments, decay: number, arrivalCount: number, weight: number): void {
  moments.weight = moments.weight * decay + weight;
  moments.sum = moments.sum * decay + weight * arrivalCount;
  moments.squares = moments.squares * decay + weight * arrivalCount * arrivalCount;
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
