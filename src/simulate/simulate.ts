// A simulation end to end: the fleet, the attack plan and its labels, then the span's events in
// time order, 10-minute slice by slice (benign sessions and attack episodes merged), delivered to
// one or more sinks, optionally paced to a rate. Pure generation up to the sinks: the same options
// give the same events byte for byte; the clock is read only to pace a rated stream.
import { WardenError } from '../errors.js';
import { DAY_MS } from './agent-profile.js';
import { ATTACK_KINDS, type AttackKind, type AttackPlan, planAttacks } from './attacks/index.js';
import { type SimulatedEvent, compareEvents } from './event-builder.js';
import { BenignStream, type Fleet, SLICE_MS, buildFleet } from './fleet.js';
import { type EpisodeLabel, buildLabels, episodesPerKind } from './labels.js';
import { Random } from './random.js';
import type { EventSink } from './sinks/sink.js';

const SLICES_PER_DAY = DAY_MS / SLICE_MS;

export interface SimulationOptions {
  seed: number;
  agents: number;
  /** Whole UTC days from `startMs`. */
  days: number;
  startMs: number;
  attacksPerKind: number;
  kinds: readonly AttackKind[];
  /** Days at the start of the span without attacks, for baselines to form. */
  warmupDays: number;
  /**
   * Agents (of `agents`) deployed during the span, after the warm-up: benign, no event before
   * their start, no attack — the cold start of new agents, which detectors must not take for an
   * attack. 0 by default.
   */
  newAgents: number;
}

export const SIMULATION_DEFAULTS: SimulationOptions = {
  seed: 1,
  agents: 200,
  days: 14,
  startMs: Date.parse('2026-11-01T00:00:00Z'),
  attacksPerKind: 3,
  kinds: ATTACK_KINDS,
  warmupDays: 7,
  newAgents: 0,
};

export interface SimulatedSlice {
  /** Day of the span (0-based) and 10-minute slice of that UTC day (0–143). */
  day: number;
  slice: number;
  events: SimulatedEvent[];
}

export interface Simulation {
  options: SimulationOptions;
  fleet: Fleet;
  labels: EpisodeLabel[];
  /** Agents deployed during the span (options.newAgents), by id: their first possible session. */
  newAgentStartMs: ReadonlyMap<string, number>;
  /** The span's events in 10-minute slices, each time-sorted (each call starts the generation afresh). */
  slices(): Generator<SimulatedSlice>;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const fleet = buildFleet({ seed: options.seed, startMs: options.startMs, days: options.days }, options.agents);
  const warmupEndMs = options.startMs + options.warmupDays * DAY_MS;
  const plan = planAttacks(fleet, { seed: options.seed, kinds: options.kinds, perKind: options.attacksPerKind, earliestMs: warmupEndMs });
  const newAgentStartMs = planNewAgents(fleet, plan, options, warmupEndMs);
  return { options, fleet, labels: buildLabels(plan.episodes), newAgentStartMs, slices: () => generateSlices(fleet, plan, newAgentStartMs) };
}

/** New agents stay this long before the span's end at least, so their first days are in it. */
const NEW_AGENT_LEAD_MS = 2 * DAY_MS;

/**
 * Picks `options.newAgents` agents that host no attack and gives each a deployment instant between
 * the warm-up's end and NEW_AGENT_LEAD_MS before the span's end.
 */
function planNewAgents(fleet: Fleet, plan: AttackPlan, options: SimulationOptions, warmupEndMs: number): Map<string, number> {
  const newAgentStartMs = new Map<string, number>();
  if (options.newAgents === 0) return newAgentStartMs;
  const latestMs = fleet.endMs - NEW_AGENT_LEAD_MS;
  if (warmupEndMs > latestMs)
    throw new WardenError('USAGE', `new agents deploy after the warm-up and at least 2 days before the end: raise --days above --warmup-days + 2`);
  const hosts = new Set(plan.episodes.map((episode) => episode.agentId));
  const candidates = fleet.agents.filter((agent) => !hosts.has(agent.id));
  if (options.newAgents > candidates.length)
    throw new WardenError('USAGE', `--new-agents ${options.newAgents}: only ${candidates.length} agents host no attack; raise --agents or lower --new-agents`);
  const random = new Random(options.seed, 'new-agents');
  for (const agent of random.shuffle(candidates).slice(0, options.newAgents)) {
    newAgentStartMs.set(agent.id, Math.round(random.between(warmupEndMs, latestMs)));
  }
  return newAgentStartMs;
}

function* generateSlices(fleet: Fleet, plan: AttackPlan, newAgentStartMs: ReadonlyMap<string, number>): Generator<SimulatedSlice> {
  const benign = new BenignStream(fleet, plan.silentFromMs, newAgentStartMs);
  const buckets = new Map<number, SimulatedEvent[]>();
  const put = (event: SimulatedEvent) => {
    if (event.timeMs >= fleet.endMs) return; // sessions running past the span's end are cut there
    const index = Math.floor((event.timeMs - fleet.startMs) / SLICE_MS);
    let bucket = buckets.get(index);
    if (!bucket) buckets.set(index, (bucket = []));
    bucket.push(event);
  };
  for (const episode of plan.episodes) for (const event of episode.events) put(event);
  for (let day = 0; day < fleet.span.days; day += 1) {
    for (let slice = 0; slice < SLICES_PER_DAY; slice += 1) {
      // Sessions start in their slice and run forward, so once this slice's sessions ran its bucket is complete.
      benign.generateSlice(day, slice, put);
      const index = day * SLICES_PER_DAY + slice;
      const events = buckets.get(index) ?? [];
      buckets.delete(index);
      events.sort(compareEvents);
      // Equal ids share their ULID time prefix, so after the sort any duplicate sits next to its twin.
      for (let i = 1; i < events.length; i += 1) {
        if ((events[i] as SimulatedEvent).id === (events[i - 1] as SimulatedEvent).id)
          throw new Error(`duplicate event id ${(events[i] as SimulatedEvent).id}`);
      }
      yield { day, slice, events };
    }
  }
}

export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export interface RunOptions {
  sinks: readonly EventSink[];
  /** Events per second; undefined = as fast as the sinks take them. */
  ratePerSecond?: number;
  clock?: Clock;
  onDay?: (progress: { day: number; days: number; events: number }) => void;
}

export interface SimulationSummary {
  events: number;
  agents: number;
  archetypes: number;
  episodes: Record<string, number>;
  attack_events: number;
  span: { start: string; end: string; days: number };
  seed: number;
  benign_outages: { service: string; start: string; end: string }[];
  /** Agents deployed during the span (--new-agents) and from when. */
  new_agents: { agent: string; from: string }[];
  sinks: Record<string, Record<string, unknown>>;
}

const systemClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function runSimulation(simulation: Simulation, run: RunOptions): Promise<SimulationSummary> {
  const rate = run.ratePerSecond;
  const chunkSize = rate ? Math.min(1_000, Math.max(1, Math.round(rate / 20))) : 10_000;
  const clock = run.clock ?? systemClock;
  let startedMs: number | undefined;
  let events = 0;
  for (const { day, slice, events: sliceEvents } of simulation.slices()) {
    for (let offset = 0; offset < sliceEvents.length; offset += chunkSize) {
      const chunk = offset === 0 && sliceEvents.length <= chunkSize ? sliceEvents : sliceEvents.slice(offset, offset + chunkSize);
      if (rate) {
        startedMs ??= clock.nowMs();
        const waitMs = startedMs + ((events + offset) / rate) * 1_000 - clock.nowMs();
        if (waitMs > 0) await clock.sleep(waitMs);
      }
      for (const sink of run.sinks) await sink.write(chunk);
    }
    events += sliceEvents.length;
    if (slice === SLICES_PER_DAY - 1) run.onDay?.({ day: day + 1, days: simulation.options.days, events });
  }
  const sinks: Record<string, Record<string, unknown>> = {};
  for (const sink of run.sinks) sinks[sink.name] = await sink.close();
  return summarize(simulation, events, sinks);
}

export function summarize(simulation: Simulation, events: number, sinks: Record<string, Record<string, unknown>> = {}): SimulationSummary {
  const { fleet, labels, options } = simulation;
  return {
    events,
    agents: fleet.agents.length,
    archetypes: new Set(fleet.agents.map((agent) => agent.archetype.type)).size,
    episodes: episodesPerKind(labels, options.attacksPerKind > 0 ? options.kinds : []),
    attack_events: labels.reduce((sum, label) => sum + label.event_ids.length, 0),
    span: { start: new Date(fleet.startMs).toISOString(), end: new Date(fleet.endMs).toISOString(), days: options.days },
    seed: options.seed,
    benign_outages: fleet.outages.map((outage) => ({
      service: outage.actionPrefix.slice(0, -1),
      start: new Date(outage.startMs).toISOString(),
      end: new Date(outage.endMs).toISOString(),
    })),
    new_agents: [...simulation.newAgentStartMs].map(([agent, fromMs]) => ({ agent, from: new Date(fromMs).toISOString() })),
    sinks,
  };
}
