import { describe, expect, it } from 'vitest';
import { distinctEstimate, FAN_OUT_WINDOW_MS, fanOutDetector as detector, FanOutState } from '../../../src/detect/fan-out.js';
import { poissonUpperTailLog10 } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, DAY, MINUTE, MONDAY_2026_11_02_MS as T0, WEEK } from './fixtures/agent-traffic.js';

const onResource = (timeMs: number, id: string, userId?: string) => auditEvent({ timeMs, resource: { type: 'ticket', id }, userId });

/** A warmed-up state whose windows usually reach 4 distinct resources (variance 4 → dispersion floor 2). */
function usualFour(): FanOutState {
  return Object.assign(new FanOutState(), {
    windowStartMs: T0 + WEEK,
    learnedEvents: 5000,
    firstLearnedMs: T0,
    learnedMs: T0 + WEEK,
    resourceWeight: 1000,
    resourceSum: 1000 * 4,
    resourceSquares: 1000 * (4 + 4 * 4),
    resourceWindows: 500,
  });
}

describe('fan_out', () => {
  it('counts distinct keys by linear counting: −m·ln(1 − set/m)', () => {
    expect(distinctEstimate(0, 256)).toBe(0);
    expect(distinctEstimate(10, 256)).toBeCloseTo(-256 * Math.log(1 - 10 / 256), 12); // 10.2
    expect(distinctEstimate(256, 256)).toBeCloseTo(256 * Math.log(512), 10); // a full bitmap: half a bit short, ≈ 1,597
  });

  it('is the quasi-Poisson tail of the window count against the usual, both divided by the dispersion (at least 2)', () => {
    const state = usualFour();
    let verdict = observeAndScore(detector, state, onResource(T0 + WEEK, 't-0'));
    for (let i = 1; i < 16; i++) verdict = observeAndScore(detector, state, onResource(T0 + WEEK + i * 1000, `t-${i}`));
    // 16 keys set 15 bits (two share one): linear counting reads 15.46 distinct resources.
    expect(state.resourceBitsSet).toBe(15);
    const distinct = distinctEstimate(15, 256);
    expect(distinct).toBeCloseTo(15.46, 2);
    expect(scoreOf(verdict)).toBeCloseTo((-poissonUpperTailLog10(distinct / 2, 4 / 2) - 2) / 4, 10); // 7.7 vs 2 → 0.20
    expect(reasonOf(verdict)).toBe('15 distinct resources within 2 minutes; usually 4.0 in 2 minutes of activity');
    // Repeat calls on the same resources add nothing.
    expect(scoreOf(observeAndScore(detector, state, onResource(T0 + WEEK + 20_000, 't-3')))).toBeCloseTo(scoreOf(verdict), 12);
  });

  it("learns a closed window's count, weighted by its learned calls, as of its last learned call", () => {
    const state = detector.initialState();
    const start = T0 + 10 * FAN_OUT_WINDOW_MS;
    // Three learned calls on three resources, then a burst of ten that was flagged (observed only).
    learnEvents(
      detector,
      state,
      [0, 1, 2].map((i) => onResource(start + i * 1000, `t-${i}`, 'u-1')),
    );
    for (let i = 3; i < 13; i++) detector.observeOne(state, onResource(start + i * 1000, `t-${i}`, 'u-1'));
    detector.observeOne(state, onResource(start + FAN_OUT_WINDOW_MS, 'next-window')); // closes it
    const three = distinctEstimate(3, 256);
    const one = distinctEstimate(1, 128);
    expect([state.resourceWeight, state.resourceSum, state.resourceSquares, state.resourceWindows]).toEqual([3, 3 * three, 3 * three * three, 1]);
    expect([state.userWeight, state.userSum, state.userWindows]).toEqual([3, 3 * one, 1]);
    expect(state.resourceBitsSet).toBe(1);
  });

  it('does not compare users with zeros for an agent whose calls name no user', () => {
    const events = Array.from({ length: 8 * 24 * 60 }, (_, i) => onResource(T0 + i * MINUTE, `t-${i % 7}`));
    const state = learnEvents(detector, detector.initialState(), events);
    expect(state.userWindows).toBe(0);
    let verdict = observeAndScore(detector, state, onResource(T0 + 8 * DAY, 't-1', 'u-0'));
    for (let i = 1; i < 30; i++) verdict = observeAndScore(detector, state, onResource(T0 + 8 * DAY + i * 100, 't-1', `u-${i}`));
    expect(scoreOf(verdict)).toBe(0);
  });

  it('warms up for a week of learned history, like the pace', () => {
    const sixDays = Array.from({ length: 6 * 24 * 60 }, (_, i) => onResource(T0 + i * MINUTE, `t-${i % 7}`));
    expect(detector.scoreOne(learnEvents(detector, detector.initialState(), sixDays), onResource(T0 + 6 * DAY, 'x'))).toEqual({ warmingUp: true });
  });
});
