// Hour of week: is the agent active at an hour when it usually is not?
//
// A 168-bin histogram (Monday 00:00 UTC = bin 0) of learned events, in fixed point (16 units
// per event, 12-bit bins: 255 events) so halving keeps fractions of quiet hours. Decay is by event
// time: every 4 weeks all bins are halved, and also whenever a bin would overflow (which for a
// busy agent makes the histogram a relative profile of its recent weeks). 12 bits rather than 16
// keep the histogram at 336 characters of JSON in the 4 KB profile; a Warden 0.1.0 checkpoint's
// 16-bit bins are halved until they fit. A learned event waits outside the bins until its clock
// hour is two hours old (currentHourEvents, previousHourEvents), so the bins never hold the
// activity the burst test below is looking at: a burst compared with itself is no burst. Warm-up:
// the histogram needs 7 days of learned history before an empty hour means anything.
//
// Two tests; the higher score is the finding.
//
// Quiet hour (one event). p = share of the agent's (smoothed, +0.1 event per bin) activity
// falling in hours "about as quiet" as this one: at most twice as busy plus 4 events. Twice,
// because the hours still to come this week have one week less of history than the hours already
// past; plus 4 events, because for a sparse agent a few events more or less in an hour is Poisson
// noise — an hour it happened not to use in a week of 1–2 calls an hour is not an unusual hour.
// Each bin is smoothed with half of each neighbouring hour, so work that starts a little earlier
// than usual is not flagged. In an hour under 1% of the activity, quiet shares up to 30% are weak
// evidence (surprise.ts). Unusual timing alone is context, not evidence: this score is capped
// at 0.4 (below the default learnBelowRisk) so a legitimately new schedule is learned rather than
// flagged forever; together with another signal it raises the risk.
//
// Burst in a quiet hour (many events). Agents work in sessions: calls seconds apart, then a
// pause. A call more than SESSION_GAP_MS after the previous one starts a session; observeOne
// counts session starts for every event, flagged or not, decayed on event time with a 1-hour time
// constant (for a steady r sessions an hour it settles at r: "sessions/hour over the last hour").
// The sessions before this one (this call's own session is given: it is why we are looking) are
// compared, Poisson upper tail, with what this hour of week usually holds: its bin's calls per
// week of history — or a neighbouring hour's if busier, so an early start or a late finish at the
// usual pace is no burst; or, if more, what the agent's days and hours predict (its day's share ×
// its hour of day's share of all activity, so a weekday agent's Saturday 10:00 is not judged like
// its Saturday 03:00) — plus a prior of 0.03 calls, turned into sessions by the share of its
// calls that start one (for the hour's observed calls, at least the share random arrivals would
// have at that rate: a day-busy agent's sparse nights are a session per call). Not capped: several sessions in an hour that is usually empty score up to 1; a busy
// hour at its usual pace scores 0. Silent while the bins stand for less than a week (below).
// The same burst test also runs against the hour of day (its 7 hour-of-week bins, or a
// neighbouring hour's if busier, per day of history), from 3 days of history; the more
// surprising of the two speaks. Two weeks of one hour of week are little to go on for a sparse
// agent, thirteen days of one hour of day are not. Measured on tuning seeds 11, 13 and 23 (default
// model): off_hours ROC-AUC 0.879 → 0.957, 0.835 → 0.837, 0.941 → 0.939; all kinds 0.9805 →
// 0.9832, 0.9754 → 0.9755, 0.9819 → 0.9818; alerts +1.
// Sessions, not calls, because of what was measured on simulated fleets (2 weeks each; seed 11,
// and seed 23 with 20 off-hours episodes): sparse agents' single sessions of 10–60 calls land in
// empty hours every day, so a Poisson test on calls put 0.2–4% of benign events at ≥ 0.5. On
// sessions none of seed 11's and 7 of seed 23's ~500k benign events reach 0.5, and 9 of the 13
// off-hours episodes after the warm-up do. The other 4 are one or two sessions (10–22 calls):
// they only get the quiet-hour test's capped timing evidence.
//
// Quiet hour of day (one event). The quiet-hour test again on 24 hour-of-day bins (each the sum
// of its 7 hour-of-week bins, smoothed alike), and on learned history only — the calls of the
// current session do not make their own hour less quiet, so every call of a night session gets
// the same evidence. A day has 7 times the evidence of an hour of week: an agent that worked 13
// days and never between 06:00 and 10:00 UTC is surprising there even when its weekly bins are too
// thin to say so (a sparse agent's empty hours of week are ~40% of its week, within the 4-event
// slack). Weekends need no special care: an office agent's Saturday 11:00 is an hour of day it
// works in, its Saturday 03:00 is not. It speaks after 3 days of history (HOUR_OF_DAY_WARMUP_MS),
// alone until the hour-of-week tests speak at 7. Capped like the quiet-hour test. Measured on tuning
// seeds 11, 13 and 23 (default model): off-hours ROC-AUC 0.776 → 0.879, 0.785 → 0.835, 0.814 →
// 0.941; all kinds 0.9758 → 0.9804, 0.9731 → 0.9752, 0.9732 → 0.9817; alerts +2%.
import { z } from 'zod';
import { packedUint12 } from '../profile/sketches/packed-integers.js';
import { repackOldNumbers, stateClassSchema } from '../profile/state-class-schema.js';
import { DAY_MS, decayFactor, HOUR_MS, MINUTE_MS, WEEK_MS } from '../profile/time-decay.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, SURPRISE_FLOOR, surpriseToScore } from './surprise.js';
import { formatHourOfDay, formatHourOfWeek, formatRate, formatShare } from './wording.js';

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
/** A quiet share of 1% or more is surprise ≤ 2: at most weak evidence (surprise.ts). */
const SCORED_SHARE_LIMIT = 0.01;
/**
 * Quiet shares up to this give weak evidence (surprise ≥ 0.5). Measured on tuning seeds 11 and 13
 * against stopping at 1%: ROC-AUC +0.0026 and +0.0003 (0.1 and 0.6 within 0.0003 of that); the
 * first calls of a night session in an office agent's empty hours no longer tie with busy-hour calls.
 */
const WEAK_QUIET_SHARE_LIMIT = 0.3;
/** History the hour-of-day quiet test needs: each hour of day seen 3 times. */
export const HOUR_OF_DAY_WARMUP_MS = 3 * DAY_MS;
const HOURS_PER_DAY = 24;
const DAYS_PER_WEEK = 7;
/**
 * A call this long after the previous one starts a new session. Calls within a task come seconds
 * apart, tasks within a session tens of seconds. Measured (prior 0.03): 2 minutes rather than 5
 * split the simulated off-hours episodes (sessions ~15 min apart, some closer) into more sessions —
 * 7 of seed 23's 10 episodes ≥ 0.5 instead of 6, most at 1.0 rather than ~0.75 — for 7 benign
 * events ≥ 0.5 instead of 0.
 */
export const SESSION_GAP_MS = 2 * MINUTE_MS;
/** Time constant of the recent-sessions count: one hour, "sessions in the last hour". */
export const RECENT_SESSIONS_WINDOW_MS = HOUR_MS;
/**
 * Prior calls per hour of week over the history (in units): how believable a session is in an
 * hour the agent has never used. Measured (gap 5 min): 0.1 left off-hours episodes of 4–6
 * sessions at 0.5–0.7; 0.03 raised them to 0.75–1.0 with no benign event ≥ 0.5 on seeds 11 and 23.
 */
const BURST_PRIOR_UNITS = 0.03 * UNITS_PER_EVENT;
/** Learned calls over which the share of calls that start a session is a running mean; later it moves with weight 1/this. */
const SESSION_SHARE_CALLS = 1000;
/** 1970-01-01 was a Thursday: 72 hours after a Monday 00:00. */
const EPOCH_HOUR_OF_WEEK = 72;

export class HourOfWeekState {
  /** Learned events per hour of week, in UNITS_PER_EVENT fixed point (uint12). */
  hourWeights: number[] = new Array<number>(HOURS_PER_WEEK).fill(0);
  /** Sum of `hourWeights`. */
  totalWeight = 0;
  /** Events added to the bins (not those still waiting). */
  learnedEvents = 0;
  firstLearnedMs = 0;
  learnedMs = 0;
  /** Newest event time observed (every event, flagged or not); `recentSessions` is decayed to it. */
  latestMs = 0;
  /** Session starts decayed with RECENT_SESSIONS_WINDOW_MS: about the sessions of the last hour. */
  recentSessions = 0;
  /** Learned events of the clock hour of `learnedMs` and of the hour before, not yet in their bins. */
  currentHourEvents = 0;
  previousHourEvents = 0;
  /** Share of learned calls that started a session: 1 / calls per session. 1 (cautious) until learned. */
  sessionStartShare = 1;
}

export function hourOfWeek(timeMs: number): number {
  return binOfHour(Math.floor(timeMs / HOUR_MS));
}

/** Hour of week of clock hour `hour` (hours since the epoch). */
function binOfHour(hour: number): number {
  const shifted = hour + EPOCH_HOUR_OF_WEEK;
  return ((shifted % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

/** The number fields added with the burst test, last in the shape (see addBurstFields). */
const BURST_FIELDS = ['latestMs', 'recentSessions', 'currentHourEvents', 'previousHourEvents', 'sessionStartShare'] as const;

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
      latestMs: z.number().finite(),
      recentSessions: z.number().finite().min(0),
      currentHourEvents: z.number().int().min(0),
      previousHourEvents: z.number().int().min(0),
      sessionStartShare: z.number().finite().min(0).max(1),
    }).refine((state) => state.hourWeights.reduce((sum, n) => sum + n, 0) === state.totalWeight, {
      message: 'totalWeight is not the sum of hourWeights',
    }),
    { decode: (json) => addBurstFields(upgradeSixteenBitBins(json)) as never, encode: (json) => json },
  ),

  initialState: () => new HourOfWeekState(),

  observeOne(state, event) {
    const atMs = Math.max(event.timeMs, state.latestMs);
    const startsSession = event.timeMs - state.latestMs > SESSION_GAP_MS ? 1 : 0;
    state.recentSessions = state.recentSessions * decayFactor(atMs - state.latestMs, RECENT_SESSIONS_WINDOW_MS) + startsSession;
    state.latestMs = atMs;
  },

  learnOne(state, event) {
    const atMs = Math.max(event.timeMs, state.learnedMs);
    const learnedCalls = state.learnedEvents + state.currentHourEvents + state.previousHourEvents;
    if (learnedCalls === 0) {
      state.firstLearnedMs = atMs;
    } else {
      advanceWaitingHours(state, Math.floor(atMs / HOUR_MS));
      // Age: all bins halve at every 4-week boundary (of event time since the epoch) passed.
      const periodsPassed = Math.floor(atMs / HALVING_PERIOD_MS) - Math.floor(state.learnedMs / HALVING_PERIOD_MS);
      for (let halvings = Math.min(periodsPassed, 16); halvings > 0; halvings--) halveBins(state);
    }
    const startsSession = learnedCalls === 0 || event.timeMs - state.learnedMs > SESSION_GAP_MS ? 1 : 0;
    state.sessionStartShare += (startsSession - state.sessionStartShare) / Math.min(learnedCalls + 1, SESSION_SHARE_CALLS);
    state.learnedMs = atMs;
    const hoursAgo = Math.floor(atMs / HOUR_MS) - Math.floor(event.timeMs / HOUR_MS);
    if (hoursAgo === 0) state.currentHourEvents++;
    else if (hoursAgo === 1) state.previousHourEvents++;
    else addToBin(state, hourOfWeek(event.timeMs), 1);
  },

  scoreOne(state, event) {
    const historyMs = state.learnedMs - state.firstLearnedMs;
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS || historyMs < HOUR_OF_DAY_WARMUP_MS) return WARMING_UP;
    const bin = hourOfWeek(event.timeMs);
    const hour = bin % HOURS_PER_DAY;
    const dayScore = hourOfDayQuietScore(state, hour);
    const weekBurst = historyMs < WEEK_MS ? 0 : burstSurprise(state, bin);
    const dayBurst = hourOfDayBurstSurprise(state, hour);
    const burstScore = surpriseToScore(Math.max(weekBurst, dayBurst));
    const quietScore = historyMs < WEEK_MS ? 0 : quietHourScore(state, bin);
    const score = Math.max(burstScore, quietScore, dayScore);
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    if (burstScore >= quietScore && burstScore >= dayScore) {
      const sessions = `${formatRate(state.recentSessions)} separate sessions/hour over the last hour`;
      return {
        score,
        reason:
          weekBurst >= dayBurst
            ? `${sessions} at ${formatHourOfWeek(bin)}, an hour in which this agent usually starts ${formatSmall(usualSessionsPerWindow(state, bin))} an hour`
            : `${sessions} at ${formatHourOfDay(hour)}, an hour of day in which this agent usually starts ${formatSmall(usualDaySessionsPerWindow(state, hour))} an hour`,
      };
    }
    if (quietScore >= dayScore) {
      return { score, reason: `active ${formatHourOfWeek(bin)}, an hour with ${formatShare(quietHourShare(state, bin))} of this agent's usual activity` };
    }
    return {
      score,
      reason: `active ${formatHourOfDay(hour)}, an hour of day with ${formatShare(hourOfDayQuietShare(state, hour))} of this agent's usual activity`,
    };
  },
};

/**
 * The single-event test: capped at MAX_HOUR_OF_WEEK_SCORE (see the top comment). It sees every
 * learned event, the waiting ones too, as it did before events waited: the hour's own first calls
 * make the hour less quiet for the calls after them.
 */
function quietHourScore(state: HourOfWeekState, bin: number): number {
  const currentHour = Math.floor(state.learnedMs / HOUR_MS);
  const currentBin = binOfHour(currentHour);
  const previousBin = binOfHour(currentHour - 1);
  const waitingUnits = (state.currentHourEvents + state.previousHourEvents) * UNITS_PER_EVENT;
  // Smoothed bins sum to 2 × all learned weight (each event counts once in its bin, ½ in each neighbour).
  const smoothedTotal = 2 * (state.totalWeight + waitingUnits) + HOURS_PER_WEEK * SMOOTHING_PER_BIN;
  const binWeight = smoothedLearnedWeight(state, bin, currentBin, previousBin);
  // An hour holding 1% of the activity is not quiet (busy hours end here, cheaply). In a quieter
  // one, a quiet share under 1% scores and one under WEAK_QUIET_SHARE_LIMIT is weak evidence;
  // stop summing as soon as the share is known to be above that.
  if (binWeight >= SCORED_SHARE_LIMIT * smoothedTotal) return 0;
  const quietLimit = QUIET_RATIO * binWeight + QUIET_SLACK_UNITS;
  const enoughMass = WEAK_QUIET_SHARE_LIMIT * smoothedTotal;
  let quietMass = 0;
  for (let other = 0; other < HOURS_PER_WEEK && quietMass < enoughMass; other++) {
    const weight = smoothedLearnedWeight(state, other, currentBin, previousBin);
    if (weight <= quietLimit) quietMass += weight;
  }
  if (quietMass >= enoughMass) return 0;
  return Math.min(MAX_HOUR_OF_WEEK_SCORE, surpriseToScore(-Math.log10(quietMass / smoothedTotal)));
}

/** The hour-of-day quiet test (see the top comment): capped like the quiet-hour test. */
function hourOfDayQuietScore(state: HourOfWeekState, hour: number): number {
  const share = hourOfDayQuietShare(state, hour);
  return share >= WEAK_QUIET_SHARE_LIMIT ? 0 : Math.min(MAX_HOUR_OF_WEEK_SCORE, surpriseToScore(-Math.log10(share)));
}

/** Learned weight of an hour of day: its 7 hour-of-week bins. */
function hourOfDayWeight(hourWeights: number[], hour: number): number {
  let weight = 0;
  for (let bin = hour; bin < HOURS_PER_WEEK; bin += HOURS_PER_DAY) weight += hourWeights[bin] ?? 0;
  return weight;
}

/** Scratch for the 24 hour-of-day weights (scoring is single-threaded and not re-entrant). */
const HOURS_OF_DAY_SCRATCH = new Float64Array(HOURS_PER_DAY);

/**
 * Share of the smoothed learned activity in hours of day at most twice as busy as this one plus
 * the 4-event slack; 1 when this hour alone holds SCORED_SHARE_LIMIT of it (busy hours end there,
 * after 21 reads).
 */
function hourOfDayQuietShare(state: HourOfWeekState, hour: number): number {
  const weights = state.hourWeights;
  // Smoothed bins sum to 2 × the learned weight (half of each bin goes to each neighbour) + the priors.
  const smoothedTotal = 2 * state.totalWeight + HOURS_PER_WEEK * SMOOTHING_PER_BIN;
  const before = (hour + HOURS_PER_DAY - 1) % HOURS_PER_DAY;
  const after = (hour + 1) % HOURS_PER_DAY;
  const own = smoothedHourOfDay(hourOfDayWeight(weights, hour), hourOfDayWeight(weights, before), hourOfDayWeight(weights, after));
  if (own >= SCORED_SHARE_LIMIT * smoothedTotal) return 1;
  const raw = HOURS_OF_DAY_SCRATCH;
  for (let h = 0; h < HOURS_PER_DAY; h++) raw[h] = hourOfDayWeight(weights, h);
  const quietLimit = QUIET_RATIO * own + QUIET_SLACK_UNITS;
  let quietMass = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const smoothed = smoothedHourOfDay(raw[h] as number, raw[(h + HOURS_PER_DAY - 1) % HOURS_PER_DAY] as number, raw[(h + 1) % HOURS_PER_DAY] as number);
    if (smoothed <= quietLimit) quietMass += smoothed;
  }
  return quietMass / smoothedTotal;
}

/** An hour of day's weight smoothed as the bins are: half of each neighbour, and its 7 bins' priors. */
function smoothedHourOfDay(weight: number, before: number, after: number): number {
  return weight + 0.5 * (before + after) + DAYS_PER_WEEK * SMOOTHING_PER_BIN;
}

/** A bin with the events waiting for it, smoothed with half of each neighbour and the 0.1-event prior. */
function smoothedLearnedWeight(state: HourOfWeekState, bin: number, currentBin: number, previousBin: number): number {
  const before = (bin + HOURS_PER_WEEK - 1) % HOURS_PER_WEEK;
  const after = (bin + 1) % HOURS_PER_WEEK;
  const own = learnedWeight(state, bin, currentBin, previousBin);
  return own + 0.5 * (learnedWeight(state, before, currentBin, previousBin) + learnedWeight(state, after, currentBin, previousBin)) + SMOOTHING_PER_BIN;
}

function learnedWeight(state: HourOfWeekState, bin: number, currentBin: number, previousBin: number): number {
  const waiting = bin === currentBin ? state.currentHourEvents : bin === previousBin ? state.previousHourEvents : 0;
  return (state.hourWeights[bin] ?? 0) + waiting * UNITS_PER_EVENT;
}

/** The burst test: sessions before this one in the last hour against what this hour usually holds. */
function burstSurprise(state: HourOfWeekState, bin: number): number {
  const earlierSessions = state.recentSessions - 1;
  // Bins that stand for less than a week have lost last week's hours — a busy agent's bins
  // overflow and halve every few days (the simulated ETL agents' nightly loads: 0.06–0.45 weeks
  // left) — so there is nothing to compare this hour with.
  if (!(earlierSessions > 0) || historyWeeks(state) < 1) return 0;
  // Most calls stop here, at three bins read: the day × hour estimate only ever raises the
  // expectation, so what is unsurprising against the neighbourhood alone stays so.
  if (poissonSurprise(earlierSessions, sessionsPerWindow(state, neighbourhoodWeight(state.hourWeights, bin))) <= SURPRISE_FLOOR) return 0;
  return poissonSurprise(earlierSessions, usualSessionsPerWindow(state, bin));
}

/**
 * The burst test against the hour of day instead (all days alike, days of history as exposure):
 * for a sparse agent two weeks of one hour of week are little to go on, thirteen days of one hour
 * of day are not. Only in hours of day under 1% of the activity; silent while the bins stand for
 * less than HOUR_OF_DAY_WARMUP_MS (an ETL agent's bins that halve every few days).
 */
function hourOfDayBurstSurprise(state: HourOfWeekState, hour: number): number {
  const earlierSessions = state.recentSessions - 1;
  if (!(earlierSessions > 0)) return 0;
  // Busy hours of day (1% of the activity or more) are left to the hour-of-week test, cheaply.
  if (hourOfDayWeight(state.hourWeights, hour) >= SCORED_SHARE_LIMIT * state.totalWeight) return 0;
  const historyDays = historyWeeks(state) * DAYS_PER_WEEK;
  if (historyDays < HOUR_OF_DAY_WARMUP_MS / DAY_MS) return 0;
  return poissonSurprise(earlierSessions, usualDaySessionsPerWindow(state, hour));
}

/** Sessions this hour of day (or a neighbouring one, if busier) usually holds in a RECENT_SESSIONS_WINDOW_MS window. */
function usualDaySessionsPerWindow(state: HourOfWeekState, hour: number): number {
  const weights = state.hourWeights;
  const usualWeight = Math.max(
    hourOfDayWeight(weights, hour),
    hourOfDayWeight(weights, (hour + HOURS_PER_DAY - 1) % HOURS_PER_DAY),
    hourOfDayWeight(weights, (hour + 1) % HOURS_PER_DAY),
  );
  return sessionsPerWindowOver(state, usualWeight, historyWeeks(state) * DAYS_PER_WEEK);
}

/** Sessions this hour of week usually holds in a RECENT_SESSIONS_WINDOW_MS window. */
function usualSessionsPerWindow(state: HourOfWeekState, bin: number): number {
  return sessionsPerWindow(state, Math.max(neighbourhoodWeight(state.hourWeights, bin), dayTimesHourWeight(state, bin)));
}

/**
 * Sessions per window that `usualWeight` of bin weight stands for: per week the hour has been
 * seen, turned into calls (÷ UNITS_PER_EVENT), then into sessions. An hour of week has been seen
 * in all but the partial week of the history, or early on in at least half of it — the lower
 * count, so the usual rate errs high. Calls → sessions: the agent's learned share of calls that
 * start one, or, if larger, the share a sparse hour's observed calls would have if they came at random
 * (a gap over SESSION_GAP_MS with probability e^(−calls per hour × gap)): an agent busy by day in
 * long sessions but calling now and then all night has one session per call at night, which its
 * day-dominated share would count as a burst.
 */
function sessionsPerWindow(state: HourOfWeekState, usualWeight: number): number {
  return sessionsPerWindowOver(state, usualWeight, historyWeeks(state));
}

/** sessionsPerWindow for a weight gathered over `periods` periods of history (weeks, or days for an hour of day). */
function sessionsPerWindowOver(state: HourOfWeekState, usualWeight: number, periods: number): number {
  const exposure = Math.max(periods - 1, periods / 2);
  const perHour = 1 / (UNITS_PER_EVENT * exposure);
  const callsPerHour = usualWeight * perHour;
  const sparseShare = Math.max(state.sessionStartShare, Math.exp(-callsPerHour * (SESSION_GAP_MS / HOUR_MS)));
  // The prior's calls are sessions at the learned share (they stand for no observed hour).
  return (callsPerHour * sparseShare + BURST_PRIOR_UNITS * perHour * state.sessionStartShare) * (RECENT_SESSIONS_WINDOW_MS / HOUR_MS);
}

/**
 * Weeks of history the bins stand for: the learned span, thinned as halving thinned the events
 * (for a steady agent the same share of its weeks as of its events is left).
 */
function historyWeeks(state: HourOfWeekState): number {
  return ((state.learnedMs - state.firstLearnedMs) / WEEK_MS) * (state.totalWeight / (UNITS_PER_EVENT * state.learnedEvents));
}

/** The bin or a neighbouring hour, whichever was busier: a pace compared in full, not half of it. */
function neighbourhoodWeight(hourWeights: number[], bin: number): number {
  const before = hourWeights[(bin + HOURS_PER_WEEK - 1) % HOURS_PER_WEEK] ?? 0;
  const after = hourWeights[(bin + 1) % HOURS_PER_WEEK] ?? 0;
  return Math.max(hourWeights[bin] ?? 0, before, after);
}

/** What the agent's days and hours predict for this hour of week: total × day's share × hour of day's share. */
function dayTimesHourWeight(state: HourOfWeekState, bin: number): number {
  if (state.totalWeight === 0) return 0;
  const dayStart = bin - (bin % 24);
  let dayWeight = 0;
  for (let hour = dayStart; hour < dayStart + 24; hour++) dayWeight += state.hourWeights[hour] ?? 0;
  let hourOfDayWeight = 0;
  for (let sameHour = bin % 24; sameHour < HOURS_PER_WEEK; sameHour += 24) hourOfDayWeight += state.hourWeights[sameHour] ?? 0;
  return (dayWeight * hourOfDayWeight) / state.totalWeight;
}

/** 0.02 → "0.02", 1.234 → "1.2". */
function formatSmall(value: number): string {
  return value < 0.1 ? String(Number(value.toPrecision(1))) : formatRate(value);
}

/** The bin's share of all learned activity, smoothed as the quiet-hour test sees it (for its reason). */
function quietHourShare(state: HourOfWeekState, bin: number): number {
  const currentHour = Math.floor(state.learnedMs / HOUR_MS);
  const waitingUnits = (state.currentHourEvents + state.previousHourEvents) * UNITS_PER_EVENT;
  const smoothedTotal = 2 * (state.totalWeight + waitingUnits) + HOURS_PER_WEEK * SMOOTHING_PER_BIN;
  return smoothedLearnedWeight(state, bin, binOfHour(currentHour), binOfHour(currentHour - 1)) / smoothedTotal;
}

/**
 * Moves the waiting events on to clock hour `hour` (that of the event being learned): an hour's
 * events enter its bin once they are two hours old.
 */
function advanceWaitingHours(state: HourOfWeekState, hour: number): void {
  const currentHour = Math.floor(state.learnedMs / HOUR_MS);
  if (hour <= currentHour) return;
  addToBin(state, binOfHour(currentHour - 1), state.previousHourEvents);
  if (hour === currentHour + 1) {
    state.previousHourEvents = state.currentHourEvents;
  } else {
    addToBin(state, binOfHour(currentHour), state.currentHourEvents);
    state.previousHourEvents = 0;
  }
  state.currentHourEvents = 0;
}

function addToBin(state: HourOfWeekState, bin: number, events: number): void {
  for (let added = 0; added < events; added++) {
    if ((state.hourWeights[bin] ?? 0) > MAX_BIN_UNITS) halveBins(state);
    state.hourWeights[bin] = (state.hourWeights[bin] ?? 0) + UNITS_PER_EVENT;
    state.totalWeight += UNITS_PER_EVENT;
  }
  state.learnedEvents += events;
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

const PRE_BURST_NUMBERS = 5;

/**
 * A slice packed before the burst test — its `n` holds totalWeight, learnedEvents,
 * firstLearnedMs, learnedMs and halvingPeriod, the last always floor(learnedMs / 4 weeks) and
 * dropped since — gets the fresh state's values of BURST_FIELDS instead (the packing is
 * little-endian float64s in shape order, state-class-schema.ts). Its waiting hours start empty
 * and its share of session starts at the cautious 1, learned anew. A 0.1.0 slice (numbers as
 * fields) gets them from stateClassSchema, which also drops its halvingPeriod.
 */
function addBurstFields(json: unknown): unknown {
  const fresh = new HourOfWeekState();
  return repackOldNumbers(json, PRE_BURST_NUMBERS, (old) => [...old.slice(0, PRE_BURST_NUMBERS - 1), ...BURST_FIELDS.map((field) => fresh[field])]);
}
