import { describe, expect, it } from 'vitest';
import { hourOfWeek, hourOfWeekDetector as detector, HourOfWeekState, MAX_HOUR_OF_WEEK_SCORE, UNITS_PER_EVENT } from '../../../src/detect/hour-of-week.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, DAY, generateTraffic, HOUR, mailAssistantSpec, MONDAY_2026_11_02_MS as T0, officeHoursPace, WEEK } from './fixtures/agent-traffic.js';

describe('hourOfWeek', () => {
  it('numbers hours from Monday 00:00 UTC', () => {
    expect(hourOfWeek(T0)).toBe(0);
    expect(hourOfWeek(T0 + 6 * DAY + 23 * HOUR + 59 * 60_000)).toBe(167);
    expect(hourOfWeek(T0 + WEEK + 3 * HOUR)).toBe(3);
    expect(hourOfWeek(0)).toBe(72); // 1970-01-01 was a Thursday
  });
});

describe('hour_of_week', () => {
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
    // Starting an hour early is not unusual: 07:xx borders the 08:00 start.
    expect(scoreOf(observeAndScore(detector, state, auditEvent({ timeMs: T0 + 4 * WEEK + 1 * DAY + 7 * HOUR + 30 * 60_000 })))).toBe(0);
  });

  it('does not flag the hours a sparse agent happened not to use', () => {
    const events = generateTraffic(mailAssistantSpec({ perMinute: officeHoursPace(0.3, 0.02), durationMs: 3 * WEEK }));
    const state = learnEvents(detector, detector.initialState(), events);
    for (let hour = 0; hour < 168; hour++) {
      expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: T0 + 3 * WEEK + hour * HOUR })))).toBe(0);
    }
  });

  it('warms up until 7 days of history are learned', () => {
    const events = generateTraffic(mailAssistantSpec({ durationMs: 6 * DAY }));
    expect(detector.scoreOne(learnEvents(detector, detector.initialState(), events), auditEvent({ timeMs: T0 + 6 * DAY }))).toEqual({ warmingUp: true });
  });

  it('halves every bin each 4 weeks of event time', () => {
    const state = learnEvents(detector, detector.initialState(), [auditEvent({ timeMs: T0 }), auditEvent({ timeMs: T0 + 1 })]);
    expect(state.hourWeights[0]).toBe(2 * UNITS_PER_EVENT);
    const periodStart = Math.ceil((T0 + 1) / (4 * WEEK)) * 4 * WEEK;
    detector.learnOne(state, auditEvent({ timeMs: periodStart }));
    expect(state.hourWeights[0]).toBe(UNITS_PER_EVENT);
    expect(state.totalWeight).toBe(2 * UNITS_PER_EVENT);
  });
});
