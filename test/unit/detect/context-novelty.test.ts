import { describe, expect, it } from 'vitest';
import { contextNoveltyDetector as detector, MAX_CONTEXT_SCORE, MAX_USER_SCORE, newShare } from '../../../src/detect/context-novelty.js';
import { WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, type EventFields, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const SCOPES = ['mail.read', 'mail.send'];

/** A call with the agent's usual context unless overridden; token `tok-<hour>`. */
function call(index: number, overrides: Partial<EventFields> = {}) {
  const timeMs = T0 + index * MINUTE;
  return auditEvent({
    timeMs,
    id: `call-${index}`,
    ip: `10.1.2.${index % 200}`,
    userAgent: 'agent-runtime/1.2',
    userId: 'u-1',
    token: { id: `tok-${Math.floor(index / 60)}`, scopes: SCOPES },
    ...overrides,
  });
}

/** `total` learned calls in the usual context: every field's first value is its only new one. */
function stableAgent(total = 5000) {
  return learnEvents(
    detector,
    detector.initialState(),
    Array.from({ length: total }, (_, i) => call(i)),
  );
}

/** The smoothed new-value share after `total` calls of which only the first brought a new value. */
function shareAfter(total: number): number {
  const d = 1 - 1 / 2048;
  return (d ** (total - 1) + 0.5) / ((1 - d ** total) / (1 - d) + 1);
}

const scoreFor = (share: number) => (-Math.log10(share) - 2) / 4;

describe('context_novelty', () => {
  it("scores a new /24 by the agent's own new-network share; a new address in a known /24 is nothing", () => {
    const state = stableAgent();
    expect(newShare(state.newNetworkWeight, state.networkWeight)).toBeCloseTo(shareAfter(5000), 12); // ≈ 2.9e-4
    const verdict = observeAndScore(detector, state, call(5000, { ip: '203.0.113.9' }));
    expect(scoreOf(verdict)).toBeCloseTo(scoreFor(shareAfter(5000)), 10); // ≈ 0.39
    expect(reasonOf(verdict)).toBe('source network 203.0.113.0/24 never seen before for this agent (usually 0.03% of its calls bring a new one)');
    expect(scoreOf(observeAndScore(detector, state, call(5001, { ip: '10.1.2.254' })))).toBe(0);
  });

  it('combines new fields with noisy-OR, capped at 0.45 so a legitimate move alone is learned', () => {
    const state = stableAgent();
    const verdict = observeAndScore(detector, state, call(5000, { ip: '203.0.113.9', userAgent: 'curl/8.4.0' }));
    const single = scoreFor(shareAfter(5000));
    expect(1 - (1 - single) ** 2).toBeGreaterThan(MAX_CONTEXT_SCORE); // 0.64 uncapped
    expect(scoreOf(verdict)).toBe(MAX_CONTEXT_SCORE);
    expect(reasonOf(verdict)).toBe(
      'source network 203.0.113.0/24 and user agent curl/8.4.0 never seen before for this agent (usually 0.03% and 0.03% of its calls bring a new one)',
    );
  });

  it('names only the new scopes of a token, and caps a new user at 0.15', () => {
    const state = stableAgent();
    const broader = call(5000, { token: { id: 'tok-new', scopes: [...SCOPES, 'admin.all'] } });
    expect(scoreOf(observeAndScore(detector, state, broader))).toBeCloseTo(scoreFor(shareAfter(5000)), 10);
    expect(reasonOf(detector.scoreOne(state, broader))).toMatch(/^scope admin\.all never seen before/);
    expect(scoreOf(observeAndScore(detector, state, call(5001, { userId: 'u-2' })))).toBeCloseTo(MAX_USER_SCORE, 12);
  });

  it('does not flag the same scopes on a new token, nor re-hash them for every call of one token', () => {
    const state = stableAgent();
    expect(scoreOf(observeAndScore(detector, state, call(5000, { token: { id: 'tok-fresh', scopes: SCOPES } })))).toBe(0);
    detector.learnOne(state, call(5000, { token: { id: 'tok-fresh', scopes: SCOPES } }));
    const remembered = state.scopeListLearned;
    detector.learnOne(state, call(5001, { token: { id: 'tok-fresh', scopes: SCOPES } }));
    expect(state.scopeListLearned).toBe(remembered);
    // A different token (id ends differently) with a new scope is still checked scope by scope.
    expect(scoreOf(observeAndScore(detector, state, call(5002, { token: { id: 'tok-fresh2', scopes: ['payments.write'] } })))).toBeGreaterThan(0.3);
  });

  it('does not flag new users for an agent that serves a new user on almost every call', () => {
    const events = Array.from({ length: 5000 }, (_, i) => call(i, { userId: `customer-${i}` }));
    const state = learnEvents(detector, detector.initialState(), events);
    expect(newShare(state.newUserWeight, state.userWeight)).toBeGreaterThan(0.8); // bloom false positives hide a few
    expect(scoreOf(observeAndScore(detector, state, call(5000, { userId: 'customer-new' })))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });

  it('warms up until 20 calls are learned, and each field until it was seen on 20 learned calls', () => {
    expect(detector.scoreOne(stableAgent(19), call(19, { ip: '203.0.113.9' }))).toEqual({ warmingUp: true });
    const noAgentHeader = learnEvents(
      detector,
      detector.initialState(),
      Array.from({ length: 100 }, (_, i) => call(i, { userAgent: i < 10 ? 'agent-runtime/1.2' : undefined })),
    );
    // The user agent was seen on only 10 learned calls: too few to call a new one unusual.
    expect(scoreOf(detector.scoreOne(noAgentHeader, call(100, { userAgent: 'curl/8.4.0' })))).toBe(0);
  });

  it('keeps a new value new for the rest of the day it first appears (a replayed session), and knows it the next day', () => {
    const state = stableAgent(); // 5,000 calls, one a minute: the agent's days 1–4
    const day = Math.floor((T0 + 5000 * MINUTE) / (24 * 60 * MINUTE));
    const sameDay = (i: number) => call(5000 + i, { ip: '203.0.113.9' });
    expect(scoreOf(observeAndScore(detector, state, sameDay(0)))).toBeCloseTo(scoreFor(shareAfter(5000)), 10);
    detector.learnOne(state, sameDay(0)); // alone (0.38) it is learned, and counts as one new value...
    const shareAfterFirst = newShare(state.newNetworkWeight, state.networkWeight); // 7.7e-4
    const second = scoreOf(observeAndScore(detector, state, sameDay(1)));
    expect(second).toBeCloseTo(scoreFor(shareAfterFirst), 10); // 0.28
    for (let i = 1; i < 30; i++) {
      // ...but stays new all session, and no later call counts as new again.
      expect(scoreOf(observeAndScore(detector, state, sameDay(i)))).toBeCloseTo(second, 2);
      detector.learnOne(state, sameDay(i));
    }
    expect(newShare(state.newNetworkWeight, state.networkWeight)).toBeLessThan(shareAfterFirst);
    const nextDayMs = (day + 1) * 24 * 60 * MINUTE + 9 * 60 * MINUTE;
    const nextDay = auditEvent({ timeMs: nextDayMs, id: 'next-day', ip: '203.0.113.50', userAgent: 'agent-runtime/1.2', userId: 'u-1' });
    expect(scoreOf(observeAndScore(detector, state, nextDay))).toBeGreaterThan(0.25); // still on probation when scored
    detector.learnOne(state, nextDay); // seen on a second day: known
    expect(scoreOf(observeAndScore(detector, state, { ...nextDay, id: 'later', timeMs: nextDayMs + MINUTE }))).toBe(0);
  });

  it("knows the values of the agent's first day at once", () => {
    const state = stableAgent(30); // half an hour of calls
    expect(scoreOf(detector.scoreOne(state, call(30)))).toBe(0);
  });
});
