import { describe, expect, it } from 'vitest';
import { actionFrequencyDetector as detector, newActionShare, NOVELTY_MEMORY_EVENTS } from '../../../src/detect/action-frequency.js';
import { WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const call = (action: string, index = 0) => auditEvent({ timeMs: T0 + index * MINUTE, action });

/** `total` learned calls cycling through `actions`; every action is new on its first use. */
function agentUsing(actions: string[], total: number) {
  return learnEvents(
    detector,
    detector.initialState(),
    Array.from({ length: total }, (_, i) => call(actions[i % actions.length] as string, i)),
  );
}

describe('action_frequency', () => {
  it('counts learned and distinct actions', () => {
    const state = agentUsing(['mail.read', 'mail.send', 'mail.search'], 48);
    expect(state.learnedEvents).toBe(48);
    expect(state.distinctActions).toBe(3);
  });

  it('scores a never-seen action by how often this agent meets new actions', () => {
    const state = agentUsing(['mail.read', 'mail.send', 'mail.search'], 5000);
    // New actions at calls 0, 1, 2 of 5,000, decayed by d = 1 − 1/2048 per learned call.
    const d = 1 - 1 / NOVELTY_MEMORY_EVENTS;
    const newWeight = d ** 4999 + d ** 4998 + d ** 4997;
    const learnedWeight = (1 - d ** 5000) / (1 - d);
    const share = (newWeight + 0.5) / (learnedWeight + 1); // ≈ 4.1e-4
    expect(newActionShare(state)).toBeCloseTo(share, 12);
    const verdict = observeAndScore(detector, state, call('payments.refund', 5000));
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(share) - 2) / 4, 10); // ≈ 0.35
    expect(reasonOf(verdict)).toBe('action payments.refund never seen before for this agent (5,000 actions seen, 3 distinct)');
  });

  it('keeps a lone new action below the default learnBelowRisk (0.5) so a legitimate one is learned', () => {
    const state = agentUsing(['mail.read'], 50_000);
    expect(scoreOf(detector.scoreOne(state, call('mail.archive')))).toBeLessThan(0.5);
  });

  it('does not flag a new action for a young agent that is still meeting new actions', () => {
    const state = agentUsing(['a', 'b', 'c', 'd', 'e', 'f'], 48);
    expect(scoreOf(detector.scoreOne(state, call('g')))).toBeLessThanOrEqual(WEAK_SCORE_MAX); // weak evidence at most
  });

  it('scores a rare known action by the mass of actions at most as common, plus the new-action share', () => {
    const events = Array.from({ length: 5000 }, (_, i) => call(i % 500 === 0 ? 'mail.export' : 'mail.read', i));
    const state = learnEvents(detector, detector.initialState(), events);
    const verdict = detector.scoreOne(state, call('mail.export'));
    // mail.export: 10 of 5,000 → 0.002, plus the new-action share.
    const p = 10 / 5000 + newActionShare(state);
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(p) - 2) / 4, 10);
    expect(reasonOf(verdict)).toBe('action mail.export is rare for this agent: about 10 of the last 5,000 actions');
    expect(scoreOf(detector.scoreOne(state, call('mail.read')))).toBe(0);
  });

  it('warms up until 20 actions are learned', () => {
    expect(detector.scoreOne(agentUsing(['mail.read'], 19), call('x'))).toEqual({ warmingUp: true });
    expect('warmingUp' in detector.scoreOne(agentUsing(['mail.read'], 20), call('x'))).toBe(false);
  });

  it('stays bounded with thousands of distinct actions', () => {
    const state = agentUsing(
      Array.from({ length: 3000 }, (_, i) => `custom.action_${i}`),
      30_000,
    );
    expect(state.actionCounts.keys).toHaveLength(32);
    expect(JSON.stringify(detector.stateSchema.encode(state)).length).toBeLessThan(1100);
    expect(scoreOf(detector.scoreOne(state, call('custom.action_new')))).toBeLessThanOrEqual(WEAK_SCORE_MAX); // new actions are its normal
  });
});
