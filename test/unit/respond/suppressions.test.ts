import { describe, expect, it } from 'vitest';
import { SuppressionList } from '../../../src/respond/suppressions.js';

const findings = [
  { signal: 'event_rate', score: 0.6, reason: '12 calls/min; usual 0.4/min' },
  { signal: 'action_frequency', score: 0.5, reason: 'new action' },
];
const signalsOf = (kept: readonly { signal: string }[]) => kept.map((finding) => finding.signal);

describe('SuppressionList', () => {
  it('leaves findings of agents without suppressions untouched', () => {
    expect(new SuppressionList().apply('a', 0, findings)).toBe(findings);
  });

  it('drops a muted signal and keeps the rest', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    expect(signalsOf(list.apply('a', 999, findings))).toEqual(['action_frequency']);
    expect(list.apply('b', 999, findings)).toBe(findings);
  });

  it('stops muting once the event time passes the expiry', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    expect(signalsOf(list.apply('a', 1_000, findings))).toEqual(['event_rate', 'action_frequency']);
  });

  it('keeps the later expiry when the same signal is muted twice, and replace() swaps the whole list', () => {
    const list = new SuppressionList();
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 5_000 });
    list.add({ agentId: 'a', signal: 'event_rate', expiresAtMs: 1_000 });
    expect(signalsOf(list.apply('a', 4_000, findings))).toEqual(['action_frequency']);
    list.replace([]);
    expect(list.size).toBe(0);
  });
});
