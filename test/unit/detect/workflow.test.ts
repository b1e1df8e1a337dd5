import { describe, expect, it } from 'vitest';
import {
  MAX_SESSIONLESS_SCORE,
  newStepShare,
  SESSION_IDLE_MS,
  sessionlessShare,
  WorkflowState,
  workflowDetector as detector,
} from '../../../src/detect/workflow.js';
import { WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0, seededRandom } from './fixtures/agent-traffic.js';

const STEPS = ['mail.read', 'mail.search', 'mail.send'];

const inSession = (sessionId: string | undefined, action: string, timeMs: number) => {
  const event = auditEvent({ timeMs, action });
  if (sessionId !== undefined) event.session_id = sessionId;
  return event;
};

/** `sessions` sessions of read → search → send, one call a minute: 3 new steps in all (start→read, read→search, search→send). */
function tidyAgent(sessions = 2000) {
  const events = Array.from({ length: sessions * 3 }, (_, i) => inSession(`s-${Math.floor(i / 3)}`, STEPS[i % 3] as string, T0 + i * MINUTE));
  return learnEvents(detector, detector.initialState(), events);
}

const AFTER = T0 + 6000 * MINUTE;

describe('workflow: calls without a session id', () => {
  it("scores a call without a session id by the agent's own share of such calls, capped", () => {
    // 210 calls, all in sessions: sessionlessWeight 0, stepWeight Σ d^k (k < 210) with d = 1 − 1/2048.
    const state = tidyAgent(70);
    const d = 1 - 1 / 2048;
    const share = 0.5 / ((1 - d ** 210) / (1 - d) + 1); // 0.5 / 200.3 = 0.25%
    expect(sessionlessShare(state)).toBeCloseTo(share, 12);
    // A start with mail.read is a known step, so only the missing session speaks: surprise 2.60 → 0.15.
    const verdict = observeAndScore(detector, state, inSession(undefined, 'mail.read', AFTER));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(share) - 2) / 4, 10);
    expect(reasonOf(verdict)).toBe("call without a session id (usually 0.2% of this agent's calls come without one)");
    // Never more than MAX_SESSIONLESS_SCORE alone, however regular the agent: a runtime that stops
    // sending session ids is learned (below learnBelowRisk), not flagged for good. (21,000 calls:
    // stepWeight ≈ 2,048, share 0.5 / 2,049 → surprise 3.61 → 0.403, capped.)
    expect(scoreOf(observeAndScore(detector, tidyAgent(7000), inSession(undefined, 'mail.read', T0 + 21_000 * MINUTE)))).toBe(MAX_SESSIONLESS_SCORE);
  });

  it('does not flag a missing session id for an agent that never sends one', () => {
    const events = Array.from({ length: 600 }, (_, i) => inSession(undefined, STEPS[i % 3] as string, T0 + i * MINUTE));
    const state = learnEvents(detector, detector.initialState(), events);
    expect(sessionlessShare(state)).toBeGreaterThan(0.99);
    expect(scoreOf(observeAndScore(detector, state, inSession(undefined, 'mail.read', T0 + 600 * MINUTE)))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });

  it('restores a slice checkpointed before the test as if every call had come without a session id', () => {
    const state = tidyAgent(100);
    const encoded = detector.stateSchema.encode(state) as { n: string };
    const oldNumbers = Buffer.from(encoded.n, 'base64')
      .subarray(0, 3 * 8)
      .toString('base64');
    const restored = detector.stateSchema.decode({ ...encoded, n: oldNumbers }) as WorkflowState;
    expect(restored.sessionlessWeight).toBe(state.stepWeight);
    expect(restored.newStepWeight).toBe(state.newStepWeight);
    expect(scoreOf(detector.scoreOne(restored, inSession(undefined, 'mail.read', AFTER)))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });
});

describe('workflow', () => {
  it("scores a step never taken by the agent's own new-step share", () => {
    const state = tidyAgent();
    const d = 1 - 1 / 2048;
    const share = (d ** 5999 + d ** 5998 + d ** 5997 + 0.5) / ((1 - d ** 6000) / (1 - d) + 1);
    expect(newStepShare(state)).toBeCloseTo(share, 12);
    observeAndScore(detector, state, inSession('s-x', 'mail.read', AFTER));
    detector.learnOne(state, inSession('s-x', 'mail.read', AFTER));
    const verdict = observeAndScore(detector, state, inSession('s-x', 'contacts.export', AFTER + 1000));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(newStepShare(state)) - 2) / 4, 10); // ≈ 0.39
    expect(reasonOf(verdict)).toBe("step mail.read → contacts.export never seen before in this agent's sessions (usually 0.03% of its steps are new)");
  });

  it('flags familiar actions in an unfamiliar order, and a session that starts unusually', () => {
    const state = tidyAgent();
    detector.learnOne(state, inSession('s-y', 'mail.read', AFTER));
    expect(scoreOf(detector.scoreOne(state, inSession('s-y', 'mail.search', AFTER + 1000)))).toBe(0);
    expect(scoreOf(detector.scoreOne(state, inSession('s-y', 'mail.send', AFTER + 1000)))).toBeGreaterThan(0.3); // read → send skips search
    const start = detector.scoreOne(state, inSession('s-z', 'mail.send', AFTER + 2000));
    expect(reasonOf(start)).toMatch(/^session starting with mail\.send never seen before for this agent/);
  });

  it('treats a call after 30 minutes of quiet in its session as a new start', () => {
    const state = tidyAgent();
    detector.learnOne(state, inSession('s-q', 'mail.read', AFTER));
    expect(scoreOf(detector.scoreOne(state, inSession('s-q', 'mail.search', AFTER + SESSION_IDLE_MS)))).toBe(0);
    // The same call later is a session starting with search: never seen.
    expect(scoreOf(detector.scoreOne(state, inSession('s-q', 'mail.search', AFTER + SESSION_IDLE_MS + 1)))).toBeGreaterThan(0.3);
  });

  it('follows four interleaved sessions, and a fifth pushes out the least recent', () => {
    const state = tidyAgent();
    for (const session of ['a', 'b', 'c', 'd']) detector.learnOne(state, inSession(session, 'mail.read', AFTER));
    for (const session of ['a', 'b', 'c', 'd']) expect(scoreOf(detector.scoreOne(state, inSession(session, 'mail.search', AFTER + 1000)))).toBe(0);
    detector.learnOne(state, inSession('e', 'mail.read', AFTER + 2000));
    // Session a's read was forgotten: its search now reads as a session start.
    expect(scoreOf(detector.scoreOne(state, inSession('a', 'mail.search', AFTER + 3000)))).toBeGreaterThan(0.3);
    expect(scoreOf(detector.scoreOne(state, inSession('b', 'mail.search', AFTER + 3000)))).toBe(0);
  });

  it("uses the agent's own sequence when calls carry no session, and stays quiet for an agent whose order is random", () => {
    const random = seededRandom(5);
    const events = Array.from({ length: 6000 }, (_, i) => inSession(undefined, `op.${Math.floor(random() * 40)}`, T0 + i * MINUTE));
    const state = learnEvents(detector, detector.initialState(), events);
    expect(newStepShare(state)).toBeGreaterThan(0.05);
    expect(scoreOf(detector.scoreOne(state, inSession(undefined, 'op.new', AFTER)))).toBeLessThanOrEqual(WEAK_SCORE_MAX);
  });
});
