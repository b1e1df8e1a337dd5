import { describe, expect, it } from 'vitest';
import { outcomeFailuresDetector as detector, OutcomeFailuresState, usualDenialShare, usualFailureShare } from '../../../src/detect/outcome-failures.js';
import { poissonUpperTailLog10, WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

describe('outcome_failures', () => {
  it('is the Poisson tail of recent failures against recent calls × the usual failure share', () => {
    const state = Object.assign(new OutcomeFailuresState(), {
      latestMs: T0,
      recentCalls: 10,
      recentFailures: 2,
      failureWeight: 10,
      callWeight: 1000,
      learnedEvents: 5000,
    });
    // Usual share (10 + 0.5) / (1000 + 1) = 1.049%; expected λ = 0.1049 failures in 10 calls.
    const lambda = 10 * (10.5 / 1001);
    const p = 1 - Math.exp(-lambda) * (1 + lambda); // P(X ≥ 2) = 0.00513
    const verdict = detector.scoreOne(state, auditEvent({ timeMs: T0, outcome: 'denied' }));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(p) - 2) / 4, 10); // 0.072
    expect(reasonOf(verdict)).toBe('2.0 failed or denied calls in the last minute out of 10.0; usually 1.0% fail');
  });

  it('only scores failed or denied calls', () => {
    const state = Object.assign(new OutcomeFailuresState(), { recentCalls: 10, recentFailures: 9, callWeight: 1000, learnedEvents: 5000 });
    expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: T0, outcome: 'success' })))).toBe(0);
  });

  it('flags a burst of denials from an agent that is rarely denied', () => {
    const events = Array.from({ length: 3000 }, (_, i) => auditEvent({ timeMs: T0 + i * MINUTE, outcome: i % 100 === 0 ? 'failure' : 'success' }));
    const state = learnEvents(detector, detector.initialState(), events);
    expect(usualFailureShare(state)).toBeCloseTo(0.01, 2);
    let verdict = observeAndScore(detector, state, auditEvent({ timeMs: T0 + 3000 * MINUTE, outcome: 'denied' }));
    expect(scoreOf(verdict)).toBeLessThanOrEqual(WEAK_SCORE_MAX); // one denial at a 1% failure share is weak evidence at most
    for (let i = 1; i < 8; i++) verdict = observeAndScore(detector, state, auditEvent({ timeMs: T0 + 3000 * MINUTE + i * 2000, outcome: 'denied' }));
    expect(scoreOf(verdict)).toBe(1);
  });

  it('updates its short window for every event, learned or not', () => {
    const state = detector.initialState();
    detector.observeOne(state, auditEvent({ timeMs: T0, outcome: 'failure' }));
    detector.observeOne(state, auditEvent({ timeMs: T0, outcome: 'success' }));
    expect([state.recentCalls, state.recentFailures, state.learnedEvents]).toEqual([2, 1, 0]);
  });

  it('tests denials against their own usual share, so ordinary failures do not hide a burst of refusals', () => {
    // 5% of calls fail (never denied); 5 of the last 6 calls were denied.
    const state = Object.assign(new OutcomeFailuresState(), {
      latestMs: T0,
      recentCalls: 6,
      recentFailures: 5,
      recentDenials: 5,
      failureWeight: 50,
      callWeight: 1000,
      learnedEvents: 5000,
    });
    const failureTail = poissonUpperTailLog10(5, 6 * usualFailureShare(state)); // λ = 0.30: 1.6e-5
    const denialTail = poissonUpperTailLog10(5, 6 * usualDenialShare(state)); // λ = 0.003: 2.0e-15
    expect(usualDenialShare(state)).toBeCloseTo(0.5 / 1001, 12);
    const verdict = detector.scoreOne(state, auditEvent({ timeMs: T0, outcome: 'denied' }));
    expect(scoreOf(verdict)).toBe(1);
    expect((-failureTail - 2) / 4).toBeLessThan(0.7);
    expect(-denialTail).toBeGreaterThan(6);
    expect(reasonOf(verdict)).toBe('5.0 denied calls in the last minute out of 6.0; usually 0.05% are denied');
  });

  it('does not treat a single refusal as a burst', () => {
    const state = Object.assign(new OutcomeFailuresState(), {
      recentCalls: 3,
      recentFailures: 1,
      recentDenials: 1,
      failureWeight: 20,
      callWeight: 1000,
      learnedEvents: 5000,
    });
    expect(scoreOf(detector.scoreOne(state, auditEvent({ timeMs: T0, outcome: 'denied' })))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });
});
