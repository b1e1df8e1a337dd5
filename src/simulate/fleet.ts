// The benign fleet: which agents exist (archetypes in proportion to their weight, each present once
// the fleet is large enough), when their kinds ship releases, which downstream services have an
// outage, and slice by slice the sessions each agent starts — by its rhythm (office hours of its time
// zone, around the clock with a daily swing, fixed-time batch runs) — run through `sessions.ts`.
import { ARCHETYPES, type Archetype } from './archetypes.js';
import { type AgentProfile, DAY_MS, type FleetSpan, HOUR_MS, MINUTE_MS, buildAgentProfile, localClock, sessionsPerHour } from './agent-profile.js';
import type { SimulatedEvent } from './event-builder.js';
import { Random } from './random.js';
import { AgentRunState, LONGEST_SESSION_MS, type Outage, SessionRunner } from './sessions.js';

export interface Fleet {
  span: FleetSpan;
  startMs: number;
  endMs: number;
  agents: AgentProfile[];
  outages: Outage[];
  runner: SessionRunner;
}

/** How many agents of each archetype: largest remainders of the weights, every kind once when there is room. */
export function archetypeCounts(agents: number, archetypes: readonly Archetype[] = ARCHETYPES): number[] {
  const base = agents >= archetypes.length ? 1 : 0;
  const rest = agents - base * archetypes.length;
  const totalWeight = archetypes.reduce((sum, archetype) => sum + archetype.weight, 0);
  const exact = archetypes.map((archetype) => (rest * archetype.weight) / totalWeight);
  const counts = exact.map((value) => base + Math.floor(value));
  let missing = agents - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing === 0) break;
    counts[index] = (counts[index] as number) + 1;
    missing -= 1;
  }
  return counts;
}

export function buildFleet(span: FleetSpan, agentCount: number): Fleet {
  const random = new Random(span.seed, 'fleet');
  const endMs = span.startMs + span.days * DAY_MS;
  // Each kind ships one release during the span (from day 2 on); its agents adopt it over the following hours.
  const releaseAtMs = new Map(
    ARCHETYPES.map((archetype) => [archetype, span.startMs + random.between(Math.min(2, span.days * 0.3), Math.max(span.days - 1, span.days * 0.6)) * DAY_MS]),
  );
  const counts = archetypeCounts(agentCount);
  const agents: AgentProfile[] = [];
  ARCHETYPES.forEach((archetype, kindIndex) => {
    for (let number = 1; number <= (counts[kindIndex] as number); number += 1) {
      agents.push(buildAgentProfile(span, agents.length, number, archetype, releaseAtMs.get(archetype) as number));
    }
  });

  // About one downstream outage a week: calls to that service fail 30–60 % for 10–40 minutes, fleet-wide.
  const outages: Outage[] = [];
  const outageCount = Math.max(1, Math.round(span.days / 7));
  for (let i = 0; i < outageCount; i += 1) {
    const archetype = random.pick(ARCHETYPES);
    const action = random.pick(Object.keys(archetype.actions));
    const startMs = Math.round(span.startMs + random.float() * span.days * DAY_MS);
    outages.push({
      actionPrefix: `${action.split('.')[0] as string}.`,
      startMs,
      endMs: startMs + Math.round(random.between(10, 40) * MINUTE_MS),
      failureShare: random.between(0.3, 0.6),
    });
  }
  return { span, startMs: span.startMs, endMs, agents, outages, runner: new SessionRunner(ARCHETYPES, outages) };
}

/** Sessions are started slice by slice across the fleet: only about a slice of events waits to be sorted. */
export const SLICE_MS = 10 * MINUTE_MS;
const SLICES_PER_HOUR = HOUR_MS / SLICE_MS;

/**
 * The fleet's normal work, generated one 10-minute slice at a time across all agents, so only
 * minutes of events wait to be sorted and written: held longer, the garbage collector's young
 * generation would copy every pending line again and again (measured: GC took more time than
 * generating). Each agent has its own random stream and state,
 * so an agent's traffic does not depend on the others (nor on which attacks are chosen, except that
 * a zombie's own traffic stops when it falls silent).
 */
export class BenignStream {
  private readonly randoms: Random[];
  private readonly states: AgentRunState[];
  /** Each agent's fixed-time runs of the current day, in time order. */
  private readonly batchRuns: { runMs: number; workflow: string }[][];

  /**
   * `silentFromMs`: agents (by id) that start no session at or after that instant (zombies);
   * `newAgentStartMs`: agents that start none before that instant (new agents, deployed during the span).
   */
  constructor(
    private readonly fleet: Fleet,
    private readonly silentFromMs: ReadonlyMap<string, number> = new Map(),
    private readonly newAgentStartMs: ReadonlyMap<string, number> = new Map(),
  ) {
    this.randoms = fleet.agents.map((agent) => new Random(fleet.span.seed, 'benign', agent.index));
    this.states = fleet.agents.map((agent) => new AgentRunState(agent));
    this.batchRuns = fleet.agents.map(() => []);
  }

  /** Emits the events of every session started in slice `slice` of day `day`; they may run into later slices. */
  generateSlice(day: number, slice: number, emit: (event: SimulatedEvent) => void): void {
    const dayStartMs = this.fleet.startMs + day * DAY_MS;
    const sliceStartMs = dayStartMs + slice * SLICE_MS;
    const sliceEndMs = sliceStartMs + SLICE_MS;
    for (const agent of this.fleet.agents) {
      const random = this.randoms[agent.index] as Random;
      const state = this.states[agent.index] as AgentRunState;
      if (slice === 0) this.batchRuns[agent.index] = batchRunsOnDay(agent, random, dayStartMs);
      const quietFromMs = this.silentFromMs.get(agent.id);
      const firstStartMs = this.newAgentStartMs.get(agent.id);
      const mayStart = (startMs: number) =>
        (quietFromMs === undefined || startMs < quietFromMs - LONGEST_SESSION_MS) && (firstStartMs === undefined || startMs >= firstStartMs);

      const sessions = random.poisson(sessionsPerHour(agent, sliceStartMs) / SLICES_PER_HOUR);
      if (sessions > 0) {
        const starts = Array.from({ length: sessions }, () => sliceStartMs + Math.floor(random.float() * SLICE_MS)).sort((a, b) => a - b);
        for (const startMs of starts) if (mayStart(startMs)) this.fleet.runner.runSession(state, random, startMs, emit);
      }
      for (const run of this.batchRuns[agent.index] as { runMs: number; workflow: string }[]) {
        if (run.runMs < sliceStartMs || run.runMs >= sliceEndMs || !mayStart(run.runMs)) continue;
        this.fleet.runner.runSession(state, random, run.runMs, emit, { workflow: run.workflow, userId: agent.users[0]?.value, tasks: 1 });
      }
    }
  }
}

/** The agent's fixed-time local runs that fall in the UTC day starting at `dayStartMs` (a little jitter, as schedulers have). */
function batchRunsOnDay(agent: AgentProfile, random: Random, dayStartMs: number): { runMs: number; workflow: string }[] {
  const runs: { runMs: number; workflow: string }[] = [];
  const localMidnightMs = Math.floor((dayStartMs + agent.utcOffsetMs) / DAY_MS) * DAY_MS - agent.utcOffsetMs;
  for (const batch of agent.archetype.rhythm.batches ?? []) {
    for (let shift = -1; shift <= 1; shift += 1) {
      const runMs = localMidnightMs + shift * DAY_MS + (batch.hour * 60 + batch.minute) * MINUTE_MS + Math.floor(random.float() * 90_000);
      if (runMs < dayStartMs || runMs >= dayStartMs + DAY_MS) continue;
      const { weekday } = localClock(agent, runMs);
      if (batch.weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
      runs.push({ runMs, workflow: batch.workflow });
    }
  }
  return runs.sort((a, b) => a.runMs - b.runMs);
}
