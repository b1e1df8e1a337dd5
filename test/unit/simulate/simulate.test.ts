import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAuditEventSchema } from '../../../src/events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../../../src/events/limits.js';
import { EventParser } from '../../../src/events/parse-event.js';
import { DAY_MS, localClock } from '../../../src/simulate/agent-profile.js';
import { ATTACK_KINDS } from '../../../src/simulate/attacks/index.js';
import { labelsToNdjson } from '../../../src/simulate/labels.js';
import { summarize } from '../../../src/simulate/simulate.js';
import { SMALL_FLEET, collect, smallFleetRun } from './fixture.js';

const FAR_FUTURE_MS = Date.parse('2100-01-01T00:00:00Z');
const ULID_EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

function digest(run: ReturnType<typeof collect>): string {
  const hash = createHash('sha256');
  for (const event of run.events) hash.update(`${event.line}\n`);
  hash.update(labelsToNdjson(run.simulation.labels));
  return hash.digest('hex');
}

describe('warden simulate: the generated stream', () => {
  it('is byte-identical for the same seed and options, and different for another seed', () => {
    const first = smallFleetRun();
    const again = collect(SMALL_FLEET);
    expect(again.events.length).toBe(first.events.length);
    expect(digest(again)).toBe(digest(first));
    const otherSeed = collect({ ...SMALL_FLEET, seed: 12, days: 12, kinds: ['enumeration'] });
    expect(otherSeed.events[0]?.line).not.toBe(first.events[0]?.line);
  });

  it("passes Warden's own event parser, every line, with the contract's fields", () => {
    const { events } = smallFleetRun();
    const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
    const problems: string[] = [];
    for (const event of events) {
      const result = parser.parse(event.line, FAR_FUTURE_MS);
      if (!result.ok) problems.push(`${result.rejection.reason}: ${event.line}`);
      else if (result.event.timeMs !== event.timeMs || result.event.agent.id !== event.agentId || Object.keys(result.event.attributes).length > 0)
        problems.push(event.line);
    }
    expect(problems.slice(0, 3)).toEqual([]);
    const sample = JSON.parse(events[Math.floor(events.length / 2)]?.line ?? '{}') as Record<string, unknown>;
    expect(Object.keys(sample)).toEqual(
      expect.arrayContaining(['id', 'time', 'agent', 'on_behalf_of', 'token', 'action', 'resource', 'outcome', 'source', 'bytes', 'records']),
    );
  });

  it('is sorted by time, with unique ids of one form for benign and attack events alike', () => {
    const { events } = smallFleetRun();
    const ids = new Set<string>();
    const problems: string[] = [];
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      if (i > 0 && event.timeMs < events[i - 1]!.timeMs) problems.push(`out of order: ${event.id}`);
      if (!ULID_EVENT_ID.test(event.id) || /attack/i.test(event.line)) problems.push(`bad id or tell-tale: ${event.line}`);
      ids.add(event.id);
    }
    expect(problems.slice(0, 3)).toEqual([]);
    expect(ids.size).toBe(events.length);
  });

  it('labels episodes whose events exist, belong to the labelled agent and lie within [start, end] after the warm-up', () => {
    const { events, simulation } = smallFleetRun();
    const byId = new Map(events.map((event) => [event.id, event]));
    const warmupEndMs = SMALL_FLEET.startMs + SMALL_FLEET.warmupDays * DAY_MS;
    for (const label of simulation.labels) {
      expect(label.event_ids.length).toBeGreaterThanOrEqual(5);
      expect(label.event_ids.length).toBeLessThanOrEqual(200);
      const startMs = Date.parse(label.start);
      const endMs = Date.parse(label.end);
      const strays = label.event_ids.filter((id) => {
        const event = byId.get(id);
        return !event || event.agentId !== label.agent_id || event.timeMs < startMs || event.timeMs > endMs;
      });
      expect(strays, label.episode_id).toEqual([]);
      expect(byId.get(label.event_ids[0]!)?.timeMs).toBe(startMs);
      expect(byId.get(label.event_ids[label.event_ids.length - 1]!)?.timeMs).toBe(endMs);
      expect(Date.parse(label.start)).toBeGreaterThanOrEqual(warmupEndMs);
      expect(Object.keys(label)).toEqual(['episode_id', 'kind', 'agent_id', 'event_ids', 'start', 'end']);
    }
  });

  it('places the requested number of episodes of every requested kind', () => {
    const { simulation, events } = smallFleetRun();
    const summary = summarize(simulation, events.length);
    expect(Object.keys(summary.episodes).sort()).toEqual([...ATTACK_KINDS].sort());
    for (const kind of ATTACK_KINDS) expect(summary.episodes[kind]).toBe(SMALL_FLEET.attacksPerKind);
    expect(summary.archetypes).toBeGreaterThanOrEqual(8);
    expect(summary.agents).toBe(SMALL_FLEET.agents);

    const subset = collect({ ...SMALL_FLEET, agents: 12, days: 9, kinds: ['denial_burst', 'runaway_loop'], attacksPerKind: 4 });
    expect(subset.simulation.labels.map((label) => label.kind).sort()).toEqual([...Array(4).fill('denial_burst'), ...Array(4).fill('runaway_loop')]);
  });

  it('keeps a zombie agent silent for at least ten days before it acts again, after sessions of normal work', () => {
    // Seed 59 with 10 zombies: before HISTORY_SESSIONS, agent-docs-3 here fell silent after a single session.
    const zombies = collect({ ...SMALL_FLEET, seed: 59, kinds: ['zombie_agent'], attacksPerKind: 10 });
    for (const { events, simulation } of [smallFleetRun(), zombies]) {
      const labels = simulation.labels.filter((candidate) => candidate.kind === 'zombie_agent');
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) {
        const startMs = Date.parse(label.start);
        const before = events.filter((event) => event.agentId === label.agent_id && event.timeMs < startMs);
        expect(new Set(before.map((event) => JSON.parse(event.line).session_id)).size, label.agent_id).toBeGreaterThanOrEqual(3);
        expect(startMs - before[before.length - 1]!.timeMs).toBeGreaterThanOrEqual(10 * DAY_MS);
      }
    }
  });

  it('deploys --new-agents after the warm-up: no event before, benign work after, no attack', () => {
    const run = collect({ ...SMALL_FLEET, kinds: ['enumeration', 'zombie_agent'], newAgents: 5 });
    const { newAgentStartMs, labels, options } = run.simulation;
    expect(newAgentStartMs.size).toBe(5);
    const warmupEndMs = options.startMs + options.warmupDays * DAY_MS;
    const hosts = new Set(labels.map((label) => label.agent_id));
    for (const [agentId, fromMs] of newAgentStartMs) {
      expect(fromMs).toBeGreaterThanOrEqual(warmupEndMs);
      expect(fromMs).toBeLessThanOrEqual(run.simulation.fleet.endMs - 2 * DAY_MS);
      expect(hosts.has(agentId)).toBe(false);
      const own = run.events.filter((event) => event.agentId === agentId);
      expect(own.length, agentId).toBeGreaterThan(0);
      expect(Math.min(...own.map((event) => event.timeMs))).toBeGreaterThanOrEqual(fromMs);
    }
    expect(
      summarize(run.simulation, run.events.length)
        .new_agents.map((entry) => entry.agent)
        .sort(),
    ).toEqual([...newAgentStartMs.keys()].sort());
    // Everything else of the fleet is as without them: the same episodes, event for event.
    const without = collect({ ...SMALL_FLEET, kinds: ['enumeration', 'zombie_agent'] });
    expect(labelsToNdjson(labels)).toBe(labelsToNdjson(without.simulation.labels));
  });

  it("replays a stolen token from an address and client the agent never used, and puts off-hours use in the agent's small hours", () => {
    const { events, simulation } = smallFleetRun();
    const attackIds = new Set(simulation.labels.flatMap((label) => label.event_ids));
    for (const label of simulation.labels) {
      const episodeIds = new Set(label.event_ids);
      const episode = events.filter((event) => episodeIds.has(event.id)).map((event) => JSON.parse(event.line) as AuditLine);
      const benign = events.filter((event) => event.agentId === label.agent_id && !attackIds.has(event.id)).map((event) => JSON.parse(event.line) as AuditLine);
      if (label.kind === 'stolen_token') {
        const benignIps = new Set(benign.map((event) => event.source.ip));
        const benignTokens = new Set(benign.map((event) => event.token.id));
        expect(episode.every((event) => !benignIps.has(event.source.ip) && event.session_id === undefined)).toBe(true);
        expect(benignTokens.has(episode[0]!.token.id)).toBe(true);
      }
      if (label.kind === 'off_hours') {
        const agent = simulation.fleet.agents.find((candidate) => candidate.id === label.agent_id)!;
        expect(agent.archetype.rhythm.pattern).toBe('office');
        const { hour } = localClock(agent, Date.parse(label.start));
        expect(hour).toBeGreaterThanOrEqual(1);
        expect(hour).toBeLessThanOrEqual(4);
      }
      if (label.kind === 'confused_deputy' || label.kind === 'privilege_escalation') {
        const declared = new Set(episode[0]?.task?.declared_actions ?? []);
        expect(episode.some((event) => !declared.has(event.action))).toBe(true);
      }
    }
  });
});

interface AuditLine {
  action: string;
  source: { ip: string };
  token: { id: string };
  session_id?: string;
  task?: { declared_actions: string[] };
}
