import { describe, expect, it } from 'vitest';
import { hourOfWeek, hourOfWeekDetector as detector, HourOfWeekState, MAX_HOUR_OF_WEEK_SCORE, UNITS_PER_EVENT } from '../../../src/detect/hour-of-week.js';
import { WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import {
  auditEvent,
  DAY,
  generateTraffic,
  HOUR,
  mailAssistantSpec,
  MINUTE,
  MONDAY_2026_11_02_MS as T0,
  officeHoursPace,
  WEEK,
} from './fixtures/agent-traffic.js';

/** `sessions` sessions of `callsPerSession` calls 10 s apart, the sessions `spacingMs` apart from `startMs`. */
function sessionCalls(startMs: number, sessions: number, callsPerSession: number, spacingMs: number): AuditEvent[] {
  return Array.from({ length: sessions * callsPerSession }, (_, i) => {
    const timeMs = startMs + Math.floor(i / callsPerSession) * spacingMs + (i % callsPerSession) * 10_000;
    return auditEvent({ id: `call-${timeMs}`, timeMs });
  });
}

/** Three weeks of an office-hours agent working in sessions: Mon–Fri 08–18 UTC, 4 sessions an hour of 8 calls. */
function sessionWorker(): HourOfWeekState {
  const events: AuditEvent[] = [];
  for (let day = 0; day < 21; day++) {
    if (day % 7 >= 5) continue;
    for (let hour = 8; hour < 18; hour++) events.push(...sessionCalls(T0 + day * DAY + hour * HOUR, 4, 8, 15 * MINUTE));
  }
  return learnEvents(detector, detector.initialState(), events);
}

/** The highest score of `events` observed and scored one by one (not learned: held out). */
function maxScore(state: HourOfWeekState, events: AuditEvent[]): number {
  return Math.max(...events.map((event) => scoreOf(observeAndScore(detector, state, event))));
}

describe('hourOfWeek', () => {
  it('numbers hours from Monday 00:00 UTC', () => {
    expect(hourOfWeek(T0)).toBe(0);
    expect(hourOfWeek(T0 + 6 * DAY + 23 * HOUR + 59 * 60_000)).toBe(167);
    expect(hourOfWeek(T0 + WEEK + 3 * HOUR)).toBe(3);
    expect(hourOfWeek(0)).toBe(72); // 1970-01-01 was a Thursday
  });
});

describe('hour_of_week: one event in a quiet hour', () => {
  it('computes the quiet share of a known histogram by hand', () => {
    // Hours 0–83 (Mon 00:00 – Thu 11:59) had 100 events each, hours 84–167 none.
    const state = Object.assign(new HourOfWeekState(), {
      hourWeights: Array.from({ length: 168 }, (_, bin) => (bin < 84 ? 100 * UNITS_PER_EVENT : 0)),
      totalWeight: 84 * 100 * UNITS_PER_EVENT,
      learnedEvents: 8400,
      firstLearnedMs: T0,
      learnedMs: T0 + WEEK,
    });
    // Sat 00:00 (bin 120): its smoothed weight is the 0.1-event prior, 1.6 units. "About as
    // quiet" = ≤ 2 × 1.6 + 4 events (64 units): the 82 empty hours with empty neighbours
    // (85–166), 1.6 each. Smoothed total = 2 × 134,400 + 168 × 1.6 = 269,068.8.
    const quietShare = (82 * 1.6) / 269_068.8; // 4.876e-4
    const verdict = detector.scoreOne(state, auditEvent({ timeMs: T0 + WEEK + 5 * DAY }));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(quietShare) - 2) / 4, 10); // 0.328
    expect(reasonOf(verdict)).toBe("active Sat 00:00–01:00 UTC, an hour with 0.0006% of this agent's usual activity");
    expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: T0 + WEEK + 10 * HOUR })))).toBe(0);
  });

  it('flags an office-hours agent on a Sunday night, but never above 0.4 on timing alone', () => {
    const state = learnEvents(
      detector,
      detector.initialState(),
      generateTraffic(mailAssistantSpec({ perMinute: officeHoursPace(3, 0), durationMs: 4 * WEEK })),
    );
    const sundayNight = scoreOf(observeAndScore(detector, state, auditEvent({ timeMs: T0 + 4 * WEEK + 6 * DAY + 3 * HOUR })));
    expect(sundayNight).toBeGreaterThan(0.2);
    expect(sundayNight).toBeLessThanOrEqual(MAX_HOUR_OF_WEEK_SCORE);
    expect(scoreOf(observeAndScore(detector, state, auditEvent({ timeMs: T0 + 4 * WEEK + 1 * DAY + 10 * HOUR })))).toBe(0);
    // Starting an hour early is not unusual: 07:xx borders the 08:00 start (at most weak evidence:
    // the quiet share of 07:xx is under 30%, surprise.ts).
    expect(scoreOf(observeAndScore(detector, state, auditEvent({ timeMs: T0 + 4 * WEEK + 1 * DAY + 7 * HOUR + 30 * 60_000 })))).toBeLessThanOrEqual(
      WEAK_SCORE_MAX,
    );
  });

  it('does not flag the hours a sparse agent happened not to use', () => {
    const events = generateTraffic(mailAssistantSpec({ perMinute: officeHoursPace(0.3, 0.02), durationMs: 3 * WEEK }));
    const state = learnEvents(detector, detector.initialState(), events);
    for (let hour = 0; hour < 168; hour++) {
      expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: T0 + 3 * WEEK + hour * HOUR })))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
    }
  });
});

const SATURDAY_3AM = T0 + 3 * WEEK + 5 * DAY + 3 * HOUR;

/**
 * A hand-built state: 901 calls learned over three weeks, `eventsPerWorkHour` in each weekday bin
 * of 09:00–16:59 and of 03:00, `saturday3amUnits` at Saturday 03:00, a session every 4 calls.
 */
function threeWeekWorker(eventsPerWorkHour: number, at: { saturday3amUnits: number; totalWeight: number; recentSessions: number }): HourOfWeekState {
  const workHour = (bin: number) => bin < 120 && ((bin % 24 >= 9 && bin % 24 < 17) || bin % 24 === 3);
  const hourWeights = Array.from({ length: 168 }, (_, bin) => (workHour(bin) ? eventsPerWorkHour * UNITS_PER_EVENT : 0));
  hourWeights[123] = at.saturday3amUnits;
  return Object.assign(new HourOfWeekState(), {
    hourWeights,
    totalWeight: at.totalWeight,
    learnedEvents: 901,
    firstLearnedMs: T0,
    learnedMs: T0 + 3 * WEEK,
    latestMs: SATURDAY_3AM,
    recentSessions: at.recentSessions,
    sessionStartShare: 0.25,
  });
}

describe('hour_of_week: a burst of sessions in a quiet hour', () => {
  it('computes the Poisson tail of a known histogram by hand', () => {
    // Three weeks: Mon–Fri 09:00–16:59 and 03:00–03:59 20 events an hour (45 bins × 320 units)
    // and one event at Sat 03:00 (bin 123, 16 units): 901 events, none halved away, so the bins
    // stand for the 3 weeks learned and an hour of week has been seen at least 3 − 1 = 2 times.
    // (The weekday 03:00 calls keep the hour-of-day burst test quiet — 03:00 holds 1,616 units of
    // 21 days, λ ≈ 4.3 sessions an hour — so this checks the hour-of-week one.) A session is 4
    // calls (sessionStartShare 0.25). Sat 03:00 usually holds (the busier of the hour and its
    // neighbours: 16 units; day × hour predicts 16 × 1,616 / 14,416 = 1.8): 16 / 16 / 2 weeks =
    // 0.5 calls an hour, which, in an hour that sparse, are sessions of their own: share
    // max(0.25, e^(−0.5 · 2/60)) = 0.983471 → 0.491736 sessions; plus the prior's 0.48 units
    // / 16 / 2 weeks × 0.25 = 0.00375 → λ = 0.495486 sessions in the hour.
    // 7 sessions in the last hour: 6 before this one. P(X ≥ 6 | λ)
    //   = e^−λ · λ⁶/6! · (1 + λ/7 + λ²/56 + …) = 0.609275 · 2.05521e-5 · 1.07541 = 1.34662e-5,
    // surprise −log10 p = 4.8708, score (4.8708 − 2) / 4 = 0.7177 — above the single-event cap.
    const state = threeWeekWorker(20, { saturday3amUnits: UNITS_PER_EVENT, totalWeight: 14_416, recentSessions: 7 });
    const verdict = detector.scoreOne(state, auditEvent({ timeMs: SATURDAY_3AM }));
    expect(scoreOf(verdict)).toBeCloseTo(0.7177, 4);
    expect(reasonOf(verdict)).toBe(
      '7.0 separate sessions/hour over the last hour at Sat 03:00–04:00 UTC, an hour in which this agent usually starts 0.5 an hour',
    );
  });

  it('stays silent while its bins stand for less than a week (a busy agent whose bins overflow and halve)', () => {
    // The hand-checked histogram after two overflow halvings of 901 learned events: a quarter of
    // their weight left, so the bins stand for 3 × 1/4 = 0.75 weeks and last week's hours are lost.
    // (Its weekday 03:00 calls keep the hour-of-day burst test, which does speak from 3 days of
    // such history, quiet: 400 units over 5.25 days, λ ≈ 4.8 sessions an hour.)
    const state = threeWeekWorker(5, { saturday3amUnits: 0, totalWeight: 3_600, recentSessions: 5 });
    expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: SATURDAY_3AM })))).toBeLessThanOrEqual(MAX_HOUR_OF_WEEK_SCORE);
  });

  it('scores several sessions at Sat 03:00 of an office-hours agent high (the off_hours episode the quiet share missed)', () => {
    const state = sessionWorker();
    // Five ordinary sessions, 12 minutes apart, where the agent never worked.
    const burst = sessionCalls(T0 + 3 * WEEK + 5 * DAY + 3 * HOUR, 5, 8, 12 * MINUTE);
    const scores = burst.map((event) => scoreOf(observeAndScore(detector, state, event)));
    expect(Math.max(...scores.slice(0, 8))).toBeLessThanOrEqual(MAX_HOUR_OF_WEEK_SCORE); // one session is timing alone
    expect(Math.max(...scores)).toBeGreaterThan(0.9);
    // Five session starts in 48 minutes, read 70 s after the last with a 1-hour time constant:
    // e^−70/3600 · (1 + e^−0.2 + e^−0.4 + e^−0.6 + e^−0.8) = 3.42 sessions/hour.
    // The hour of day is the stronger view here: 03:00 (and 02:00, 04:00) never used on any of the
    // ~18 days learned, so only the prior's 0.03 calls stand for it — a few ten-thousandths of a
    // session an hour, against the hour of week's couple of weeks of exposure (0.00x).
    expect(reasonOf(detector.scoreOne(state, burst.at(-1) as AuditEvent))).toMatch(
      /^3\.4 separate sessions\/hour over the last hour at 03:00–04:00 UTC, an hour of day in which this agent usually starts 0\.000\d an hour$/,
    );
  });

  it("judges a burst in an agent's first week against its hours of day", () => {
    // Five weekdays of office sessions (08:00–18:00): before the hour-of-week tests speak (7 days),
    // a burst of five sessions at Saturday 03:00 — an hour of day never used — is already news.
    const events: AuditEvent[] = [];
    for (let day = 0; day < 5; day++) for (let hour = 8; hour < 18; hour++) events.push(...sessionCalls(T0 + day * DAY + hour * HOUR, 4, 8, 15 * MINUTE));
    const state = learnEvents(detector, detector.initialState(), events);
    const burst = sessionCalls(T0 + 5 * DAY + 3 * HOUR, 5, 8, 12 * MINUTE);
    const scores = burst.map((event) => scoreOf(observeAndScore(detector, state, event)));
    expect(Math.max(...scores)).toBeGreaterThan(0.9);
    expect(reasonOf(detector.scoreOne(state, burst.at(-1) as AuditEvent))).toMatch(/ at 03:00–04:00 UTC, an hour of day in which this agent usually starts /);
    // The same sessions at 10:00, an hour of day it works in, are its usual pace.
    const daytime = learnEvents(detector, detector.initialState(), events);
    const usual = sessionCalls(T0 + 5 * DAY + 10 * HOUR, 5, 8, 12 * MINUTE).map((event) => scoreOf(observeAndScore(detector, daytime, event)));
    expect(Math.max(...usual)).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });

  it('scores the usual busy hour at its usual pace 0', () => {
    const state = sessionWorker();
    expect(maxScore(state, sessionCalls(T0 + 3 * WEEK + 1 * DAY + 10 * HOUR, 4, 8, 15 * MINUTE))).toBe(0);
  });

  it("does not flag the agent's ordinary slightly-early start: sessions from 07:00 at the 08:00 pace", () => {
    const state = sessionWorker();
    expect(maxScore(state, sessionCalls(T0 + 3 * WEEK + 1 * DAY + 7 * HOUR, 4, 8, 15 * MINUTE))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });

  it('does not compare a burst with itself: its learned calls wait two hours before entering the bins', () => {
    const burst = sessionCalls(T0 + 3 * WEEK + 5 * DAY + 3 * HOUR, 5, 8, 12 * MINUTE);
    const heldOut = sessionWorker();
    const heldOutScore = maxScore(heldOut, burst);
    // The same burst, every call learned right after it is scored (as unflagged calls would be).
    const learning = sessionWorker();
    const learnedScores = burst.map((event) => {
      const score = scoreOf(observeAndScore(detector, learning, event));
      detector.learnOne(learning, event);
      return score;
    });
    expect(Math.max(...learnedScores)).toBe(heldOutScore);
    expect(learning.currentHourEvents + learning.previousHourEvents).toBe(burst.length);
  });
});

describe('hour_of_week: state', () => {
  it('warms up until 3 days of history are learned', () => {
    const events = generateTraffic(mailAssistantSpec({ durationMs: 2.5 * DAY }));
    expect(detector.scoreOne(learnEvents(detector, detector.initialState(), events), auditEvent({ timeMs: T0 + 2.5 * DAY }))).toEqual({ warmingUp: true });
  });

  it('judges hours of day from 3 days of history, hours of week from 7', () => {
    // Monday–Saturday, calls only on weekdays 08:00–18:00 (3/min): 140,400 units in the bins.
    // 03:00 smoothed: 0 + 7 × 1.6 prior = 11.2 units; the hours at most 2 × 11.2 + 64 units are the
    // night hours not next to office hours, ~157 units of 2 × 140,400 + 168 × 1.6 → share 0.056%,
    // surprise 3.25, score 0.31 (cap 0.4). On day 7 the hour-of-week tests are still silent.
    const state = learnEvents(detector, detector.initialState(), generateTraffic(mailAssistantSpec({ perMinute: officeHoursPace(3, 0), durationMs: 6 * DAY })));
    const night = observeAndScore(detector, state, auditEvent({ timeMs: T0 + 6 * DAY + 3 * HOUR }));
    expect(scoreOf(night)).toBeCloseTo(0.31, 2);
    expect(reasonOf(night)).toBe("active 03:00–04:00 UTC, an hour of day with 0.06% of this agent's usual activity");
    // Sunday 10:00: an hour of day the agent works in (on weekdays) is not quiet, whatever the day.
    expect(scoreOf(observeAndScore(detector, state, auditEvent({ timeMs: T0 + 6 * DAY + 10 * HOUR })))).toBe(0);
  });

  it('adds an hour of learned events to its bin two hours later', () => {
    const state = learnEvents(detector, detector.initialState(), [auditEvent({ timeMs: T0 }), auditEvent({ timeMs: T0 + 1 })]);
    expect(state.hourWeights[0]).toBe(0);
    detector.learnOne(state, auditEvent({ timeMs: T0 + HOUR }));
    expect([state.currentHourEvents, state.previousHourEvents, state.hourWeights[0]]).toEqual([1, 2, 0]);
    detector.learnOne(state, auditEvent({ timeMs: T0 + 2 * HOUR }));
    expect([state.currentHourEvents, state.previousHourEvents, state.hourWeights[0]]).toEqual([1, 1, 2 * UNITS_PER_EVENT]);
  });

  it('halves every bin each 4 weeks of event time', () => {
    const state = learnEvents(detector, detector.initialState(), [auditEvent({ timeMs: T0 }), auditEvent({ timeMs: T0 + 1 })]);
    const periodStart = Math.ceil((T0 + 1) / (4 * WEEK)) * 4 * WEEK;
    detector.learnOne(state, auditEvent({ timeMs: periodStart }));
    // The two waiting events entered bin 0, then every bin was halved; the new event waits.
    expect(state.hourWeights[0]).toBe(UNITS_PER_EVENT);
    expect(state.totalWeight).toBe(UNITS_PER_EVENT);
    expect(state.currentHourEvents).toBe(1);
  });

  it('restores a checkpoint written before the burst test, which lacks its fields', () => {
    // Written by the previous version after 50 events 5 hours apart from Monday 2026-11-02:
    // n = totalWeight 800, learnedEvents 50, firstLearnedMs, learnedMs, halvingPeriod.
    const before = {
      n: 'AAAAAAAAiUAAAAAAAABJQAAAQOSYGXpCAABICOIcekIAAAAAACiHQA==',
      hourWeights:
        'EAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAEAAAAAABAAABAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAAAAAAEAAAAAAAAAABAAAA',
    };
    const restored = detector.stateSchema.decode(before);
    expect(restored).toMatchObject({ totalWeight: 800, learnedEvents: 50, firstLearnedMs: T0, learnedMs: T0 + 49 * 5 * HOUR });
    expect(restored).toMatchObject({ latestMs: 0, recentSessions: 0, currentHourEvents: 0, previousHourEvents: 0, sessionStartShare: 1 });
    expect(detector.stateSchema.decode(detector.stateSchema.encode(restored))).toStrictEqual(restored);
    // It scores and learns on: a burst is judged with the cautious one call per session until sessions are learned.
    const next = auditEvent({ timeMs: T0 + 250 * HOUR });
    expect(scoreOf(observeAndScore(detector, restored, next))).toBeGreaterThanOrEqual(0);
    detector.learnOne(restored, next);
    expect(restored.currentHourEvents).toBe(1);
  });
});
