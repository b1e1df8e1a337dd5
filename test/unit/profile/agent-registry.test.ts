import { describe, expect, it } from 'vitest';
import { scoreAndLearn } from '../../../src/detect/score-event.js';
import { profileToJson } from '../../../src/profile/agent-profile.js';
import { AgentRegistry } from '../../../src/profile/agent-registry.js';
import { buildPeerBaselines } from '../../../src/profile/peer-baselines.js';
import { generateTraffic, HOUR, mailAssistantSpec } from '../detect/fixtures/agent-traffic.js';

const day = generateTraffic(mailAssistantSpec({ durationMs: 24 * HOUR }));
const openAlert = {
  alertId: 'alert-1',
  openedAtMs: 1,
  updatedAtMs: 2,
  maxRisk: 0.93,
  eventCount: 2,
  eventIds: ['e1', 'e2'],
  reasons: ['a reason'],
  signals: ['event_rate'],
};

function learnedRegistry(): AgentRegistry {
  const registry = new AgentRegistry('test');
  for (const event of day) scoreAndLearn(registry.getOrCreate(event, 3).profile, event);
  return registry;
}

describe('AgentRegistry checkpoints', () => {
  it('embeds the profile JSON as JSON (no escaped string) and restores the same profile and open alert', () => {
    const registry = learnedRegistry();
    const agentId = day[0]?.agent.id as string;
    const entry = registry.get(agentId);
    if (!entry) throw new Error('agent missing');
    entry.openAlert = openAlert;
    const [row] = registry.takeCheckpoint(0);
    if (!row) throw new Error('no checkpoint row');
    const profileJson = profileToJson(entry.profile);
    expect(row.state).toBe(`{"profile":${profileJson},"openAlert":${JSON.stringify(openAlert)}}`);
    expect(row.state).not.toContain('\\"');

    const restored = new AgentRegistry('test');
    restored.restore(agentId, 3, 42, row.state);
    expect(profileToJson(restored.get(agentId)?.profile as never)).toBe(profileJson);
    expect(restored.get(agentId)?.openAlert).toEqual(openAlert);
    expect(restored.get(agentId)?.learnedThroughOffset).toBe(42);
  });

  it('reads a checkpoint written with the profile as a JSON string (before 2026-11-26)', () => {
    const registry = learnedRegistry();
    const agentId = day[0]?.agent.id as string;
    const profileJson = profileToJson(registry.get(agentId)?.profile as never);
    const restored = new AgentRegistry('test');
    restored.restore(agentId, 3, 7, JSON.stringify({ profile: profileJson }));
    expect(profileToJson(restored.get(agentId)?.profile as never)).toBe(profileJson);
    expect(restored.get(agentId)?.openAlert).toBeUndefined();
  });

  it('records which baseline each agent was scored against: its own young one until peers are set, then its peer group', () => {
    const registry = learnedRegistry();
    const [before] = registry.takeCheckpoint(0);
    expect(before).toMatchObject({ baseline: 'warming_up', peer_group: '' });
    // Three mature email assistants (a week and a day of traffic each) make a peer group.
    const peers = [1, 2, 3].map((seed) => {
      const lived = new AgentRegistry('peers');
      for (const event of generateTraffic(mailAssistantSpec({ agentId: `mail-${seed}`, seed, durationMs: 8 * 24 * HOUR })))
        scoreAndLearn(lived.getOrCreate(event, 0).profile, event);
      return lived.get(`mail-${seed}`)?.profile as never;
    });
    registry.peerBaselines = buildPeerBaselines(peers);
    registry.markDirty([day[0]?.agent.id as string]);
    const [after] = registry.takeCheckpoint(1);
    expect(after).toMatchObject({ baseline: 'peers', peer_group: 'peers of type email-assistant' });
  });
});
