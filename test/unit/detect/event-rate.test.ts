import { describe, expect, it } from 'vitest';
import { averageEventsPerMinute, DecayedMoments, eventRateDetector as detector, EventRateState, usualPacePerMinute } from '../../../src/detect/event-rate.js';
import { poissonUpperTailLog10, WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { halfLifeMs } from '../../../src/profile/time-decay.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, DAY, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const at = (timeMs: number) => auditEvent({ timeMs });

/** One call a minute for `days` days, all learned. */
function steadyAgent(days: number): EventRateState {
  const events = Array.from({ length: days * 24 * 60 }, (_, i) => at(T0 + i * MINUTE));
  return learnEvents(detector, detector.initialState(), events);
}

function moments(weight: number, mean: number, variance: number): DecayedMoments {
  return Object.assign(new DecayedMoments(), { weight, sum: weight * mean, squares: weight * (variance + mean * mean) });
}

describe('event_rate short window', () => {
  it('counts calls in the last minute: 12 calls at once read as 12.0', () => {
    const state = detector.initialState();
    for (let i = 0; i < 12; i++) detector.observeOne(state, at(T0));
    expect(state.recentCount).toBe(12);
  });

  it('halves a call after one half-life (41.6 s for the 60 s time constant)', () => {
    const state = detector.initialState();
    detector.observeOne(state, at(T0));
    detector.observeOne(state, at(T0 + halfLifeMs(MINUTE)));
    expect(state.recentCount).toBeCloseTo(1.5, 8); // event times are ms since 1970: ~1e-10 of float noise
  });

  it('folds an out-of-order event in at the newest time seen, never decaying backwards', () => {
    const state = detector.initialState();
    detector.observeOne(state, at(T0 + 10_000));
    detector.observeOne(state, at(T0)); // 10 s late
    expect(state.recentCount).toBe(2);
    expect(state.latestMs).toBe(T0 + 10_000);
  });
});

describe('event_rate usual pace', () => {
  it('learns the count a call usually sees: 1/(1 − e⁻¹) = 1.58 for one call a minute', () => {
    const state = steadyAgent(8);
    expect(usualPacePerMinute(state)).toBeCloseTo(1 / (1 - Math.exp(-1)), 6);
    expect(averageEventsPerMinute(state)).toBeCloseTo(1, 2);
  });

  it('warms up until the learned history spans 7 days', () => {
    expect(detector.scoreOne(steadyAgent(6), at(T0 + 6 * DAY))).toEqual({ warmingUp: true });
    expect('warmingUp' in detector.scoreOne(steadyAgent(8), at(T0 + 8 * DAY))).toBe(false);
  });

  it('does not flag the usual pace', () => {
    const state = steadyAgent(8);
    expect(scoreOf(observeAndScore(detector, state, at(T0 + 8 * DAY)))).toBe(0);
  });
});

describe('event_rate score', () => {
  /** A warmed-up state whose arrival counts have the given mean and variance. */
  function stateWith(recentCount: number, mean: number, variance: number): EventRateState {
    return Object.assign(new EventRateState(), {
      latestMs: T0 + 8 * DAY,
      recentCount,
      learnedMs: T0 + 8 * DAY,
      firstLearnedMs: T0,
      learnedEvents: 1000,
      dayPace: moments(100, mean, variance),
      weekPace: moments(500, mean, variance),
    });
  }

  it('is the Poisson tail mapped to 0..1: 10 calls against a usual 2 → p = 4.65e-5 → 0.583', () => {
    const verdict = detector.scoreOne(stateWith(10, 2, 2), at(T0 + 8 * DAY));
    // −log10 P(X ≥ 10 | 2) = −log10 4.6498e-5 = 4.33256; (4.33256 − 2) / 4 = 0.58314
    expect(scoreOf(verdict)).toBeCloseTo(0.58314, 5);
    expect(reasonOf(verdict)).toBe('10.0 calls/min over the last minute; usual 2.0/min when active');
  });

  it('divides by the learned dispersion, so a naturally bursty agent needs a bigger burst', () => {
    // variance / mean = 4: compare 10/4 calls against 2/4.
    const verdict = detector.scoreOne(stateWith(10, 2, 8), at(T0 + 8 * DAY));
    // −log10 P(X ≥ 2.5 | 0.5) = 1.43 (p = 3.7%): below the 1% level, weak evidence only, 0.001 · 1.43 / 2.
    const surprise = -poissonUpperTailLog10(2.5, 0.5);
    expect(surprise).toBeCloseTo(1.4267, 3);
    expect(scoreOf(verdict)).toBeCloseTo((WEAK_SCORE_MAX * surprise) / 2, 10);
    expect(scoreOf(verdict)).toBeLessThan(0.2);
  });

  it('compares with the larger of the 1-day and 7-day pace, so a quiet weekend does not lower the bar', () => {
    const state = stateWith(10, 2, 2);
    state.dayPace = moments(100, 1.1, 0.1); // quiet last day
    expect(scoreOf(detector.scoreOne(state, at(T0 + 8 * DAY)))).toBeCloseTo(0.58314, 5);
  });

  it('flags a burst of 12 calls within a second from an agent that calls once a minute', () => {
    const state = steadyAgent(8);
    let verdict = observeAndScore(detector, state, at(T0 + 8 * DAY + 30_000));
    for (let i = 1; i < 12; i++) verdict = observeAndScore(detector, state, at(T0 + 8 * DAY + 30_000 + i * 50));
    // The last steady call was 90 s earlier: 1.58 · e^−1.5 + 12 ≈ 12.3 calls in the window.
    expect(scoreOf(verdict)).toBe(1);
    expect(reasonOf(verdict)).toBe('12.3 calls/min over the last minute; usual 1.6/min when active');
  });
});

describe('event_rate protects its baseline from a burst it has not flagged yet', () => {
  it('learns a runaway loop (10 calls a second for a minute) as little as one call a second, and mostly not at all', () => {
    const state = steadyAgent(8);
    const usualBefore = usualPacePerMinute(state);
    const weightBefore = state.dayPace.weight;
    const loopStart = T0 + 8 * DAY;
    // Every call of the loop learned, as if no other signal had made it risky.
    learnEvents(
      detector,
      state,
      Array.from({ length: 600 }, (_, i) => at(loopStart + i * 100)),
    );
    // Weight added: at most 0.1 per call (100 ms apart), and nothing once the pace was surprising.
    expect(state.dayPace.weight - weightBefore * Math.exp(-MINUTE / DAY)).toBeLessThan(2);
    expect(usualPacePerMinute(state)).toBeLessThan(usualBefore + 0.2);
    // So the loop is still flagged at full score a minute in.
    expect(scoreOf(observeAndScore(detector, state, at(loopStart + 60_000)))).toBe(1);
  });
});
