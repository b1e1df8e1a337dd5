import { describe, expect, it } from 'vitest';
import { newKeyShare } from '../../../src/detect/key-novelty.js';
import { resourceNoveltyDetector as resources } from '../../../src/detect/resource-novelty.js';
import { poissonUpperTailLog10, WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const onResource = (id: string, timeMs: number) => auditEvent({ timeMs, resource: { type: 'mailbox', id } });

/** 10,000 calls, one a minute, over a fixed set of 10 mailboxes. */
function mailboxAgent() {
  return learnEvents(
    resources,
    resources.initialState(),
    Array.from({ length: 10_000 }, (_, i) => onResource(`u-${i % 10}/inbox`, T0 + i * MINUTE)),
  );
}

const AFTER = T0 + 10_000 * MINUTE;

describe('resource_novelty', () => {
  it('flags a new mailbox for an agent that always uses the same ten, by its own novelty share', () => {
    const state = mailboxAgent();
    const verdict = observeAndScore(resources, state, onResource('u-999/inbox', AFTER));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(newKeyShare(state)) - 2) / 4, 10);
    expect(scoreOf(verdict)).toBeGreaterThan(0.25);
    expect(reasonOf(verdict)).toMatch(/^resource mailbox:u-999\/inbox never seen before for this agent \(usually 0\.0\d+% of its calls touch a new one\)$/);
    expect(scoreOf(observeAndScore(resources, state, onResource('u-3/inbox', AFTER + 1)))).toBe(0);
  });

  it('does not flag new document ids for an agent that opens a new document on every call', () => {
    const events = Array.from({ length: 10_000 }, (_, i) => auditEvent({ timeMs: T0 + i * MINUTE, resource: { type: 'doc', id: `doc-${i}` } }));
    const state = learnEvents(resources, resources.initialState(), events);
    expect(newKeyShare(state)).toBeGreaterThan(0.9);
    for (let i = 0; i < 50; i++) {
      expect(
        scoreOf(observeAndScore(resources, state, auditEvent({ timeMs: AFTER + i * MINUTE, resource: { type: 'doc', id: `doc-new-${i}` } }))),
      ).toBeLessThanOrEqual(WEAK_SCORE_MAX);
    }
  });

  it('flags a burst of new resources in a minute (enumeration) more strongly than one new resource', () => {
    const state = mailboxAgent();
    let verdict = observeAndScore(resources, state, onResource('acct-0', AFTER));
    const single = scoreOf(verdict);
    for (let i = 1; i < 10; i++) verdict = observeAndScore(resources, state, onResource(`acct-${i}`, AFTER + i * 1000));
    // ≈ 9.5 new in the window against ≈ 10.4 calls × novelty share.
    const expected = state.recentKeyedCalls * newKeyShare(state);
    expect(scoreOf(verdict)).toBeCloseTo(Math.min(1, (-poissonUpperTailLog10(state.recentNewKeys, expected) - 2) / 4), 10);
    expect(scoreOf(verdict)).toBe(1);
    expect(scoreOf(verdict)).toBeGreaterThan(single);
    expect(reasonOf(verdict)).toMatch(/^9\.\d new resources in the last minute; usually 0\.0\d+% of its calls touch a new one$/);
  });

  it('ignores events without a resource', () => {
    const state = mailboxAgent();
    expect(scoreOf(observeAndScore(resources, state, auditEvent({ timeMs: AFTER })))).toBe(0);
    resources.learnOne(state, auditEvent({ timeMs: AFTER }));
    expect(state.learnedEvents).toBe(10_000);
  });
});
