import { describe, expect, it } from 'vitest';
import { combineFindings } from '../../../src/detect/combine.js';
import { SuppressionList } from '../../../src/respond/suppressions.js';

const score = combineFindings([
  { signal: 'event_rate', score: 0.6, reason: '12 calls/min; usual 0.4/min' },
  { signal: 'action_frequency', score: 0.5, reason: 'new action' },
]);

describe('SuppressionList', () => {
  it('leaves scores of agents without suppressions untouched', () => {
    expect(score.risk).toBeCloseTo(0.8);
    expect(new SuppressionList().apply('a', 0, score)).toBe(score);
  });

  it('drops a muted signal and recombines the rest', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    const muted = list.apply('a', 999, score);
    expect(muted.risk).toBeCloseTo(0.5);
    expect(muted.reasons.map((r) => r.signal)).toEqual(['action_frequency']);
    expect(list.apply('b', 999, score)).toBe(score);
  });

  it('stops muting once the event time passes the expiry', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    expect(list.apply('a', 1_000, score).risk).toBeCloseTo(0.8);
  });

  it('keeps the later expiry when the same signal is muted twice, and replace() swaps the whole list', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 5_000 });
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    expect(list.apply('a', 4_000, score).risk).toBeCloseTo(0.5);
    list.replace([]);
    expect(list.size).toBe(0);
  });
});
