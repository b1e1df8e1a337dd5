// Every attack kind, and the planner that places their episodes: for each requested kind, the
// requested number of episodes, each in a different eligible agent when the fleet allows (a zombie
// always gets an agent of its own), after the warm-up and inside the span. Planned before the
// benign stream runs, because a zombie's own traffic must stop for its silence.
import { WardenError } from '../../errors.js';
import type { AgentProfile } from '../agent-profile.js';
import { type SimulatedEvent, compareEvents } from '../event-builder.js';
import type { Fleet } from '../fleet.js';
import { Random } from '../random.js';
import { ATTACK_KINDS, type AttackGenerator, type AttackKind } from './attack.js';
import { confusedDeputy } from './confused-deputy.js';
import { denialBurst } from './denial-burst.js';
import { enumeration } from './enumeration.js';
import { lowAndSlowExfil } from './low-and-slow-exfil.js';
import { offHours } from './off-hours.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { promptInjectionExfil } from './prompt-injection-exfil.js';
import { runawayLoop } from './runaway-loop.js';
import { stolenToken } from './stolen-token.js';
import { zombieAgent } from './zombie-agent.js';

export { ATTACK_KINDS, type AttackKind, isAttackKind } from './attack.js';

export const ATTACK_GENERATORS: Readonly<Record<AttackKind, AttackGenerator>> = {
  stolen_token: stolenToken,
  prompt_injection_exfil: promptInjectionExfil,
  privilege_escalation: privilegeEscalation,
  enumeration,
  runaway_loop: runawayLoop,
  off_hours: offHours,
  zombie_agent: zombieAgent,
  confused_deputy: confusedDeputy,
  low_and_slow_exfil: lowAndSlowExfil,
  denial_burst: denialBurst,
};

export interface PlannedEpisode {
  kind: AttackKind;
  agentId: string;
  /** In time order. */
  events: SimulatedEvent[];
}

export interface AttackPlan {
  episodes: PlannedEpisode[];
  /** Agents whose benign traffic stops at the given instant (zombies). */
  silentFromMs: Map<string, number>;
}

export interface AttackOptions {
  seed: number;
  kinds: readonly AttackKind[];
  perKind: number;
  /** No attack event before this. */
  earliestMs: number;
}

/** Throws a usage error naming the first requested kind the span or fleet cannot host. */
function checkAttackFeasibility(fleet: Fleet, options: AttackOptions): void {
  if (options.perKind === 0) return;
  for (const kind of options.kinds) {
    const generator = ATTACK_GENERATORS[kind];
    const earliest = Math.max(options.earliestMs, fleet.startMs + (generator.earliestAfterStartMs ?? 0));
    if (earliest > fleet.endMs - generator.longestMs) {
      const needDays = Math.ceil((earliest - fleet.startMs + generator.longestMs) / 86_400_000);
      throw new WardenError(
        'USAGE',
        `${kind} episodes need at least ${needDays} days of span with this warm-up (got --days ${fleet.span.days}); raise --days or leave ${kind} out of --kinds`,
      );
    }
    if (!fleet.agents.some((agent) => generator.eligible(agent)))
      throw new WardenError('USAGE', `no agent of this fleet can host ${kind} episodes; raise --agents or leave ${kind} out of --kinds`);
  }
  const exclusive = options.kinds.filter((kind) => ATTACK_GENERATORS[kind].exclusive).length * options.perKind;
  if (exclusive > fleet.agents.length) throw new WardenError('USAGE', `${exclusive} zombie episodes need as many agents (got --agents ${fleet.agents.length})`);
}

export function planAttacks(fleet: Fleet, options: AttackOptions): AttackPlan {
  checkAttackFeasibility(fleet, options);
  const requested = ATTACK_KINDS.filter((kind) => options.kinds.includes(kind));
  // Kinds that take an agent over are placed first, so they find agents nobody else uses.
  const order = [...requested.filter((kind) => ATTACK_GENERATORS[kind].exclusive), ...requested.filter((kind) => !ATTACK_GENERATORS[kind].exclusive)];
  const used = new Set<string>();
  const taken = new Set<string>();
  const episodes: PlannedEpisode[] = [];
  const silentFromMs = new Map<string, number>();

  for (const kind of order) {
    const generator = ATTACK_GENERATORS[kind];
    for (let number = 0; number < options.perKind; number += 1) {
      const random = new Random(options.seed, 'attack', kind, number);
      const eligible = fleet.agents.filter((agent) => generator.eligible(agent) && !taken.has(agent.id));
      const fresh = eligible.filter((agent) => !used.has(agent.id));
      const pool: AgentProfile[] = generator.exclusive || fresh.length > 0 ? fresh : eligible;
      if (pool.length === 0) throw new WardenError('USAGE', `no agent left to host ${kind} episode ${number + 1}; raise --agents or lower --attacks-per-kind`);
      const agent = random.pick(pool);
      used.add(agent.id);
      if (generator.exclusive) taken.add(agent.id);
      const earliestMs = Math.max(options.earliestMs, fleet.startMs + (generator.earliestAfterStartMs ?? 0));
      const result = generator.generate({ fleet, agent, random, earliestMs, endMs: fleet.endMs });
      // Generators aim inside [warm-up end, span end); a rare long tail past the span's end is cut, like benign sessions.
      const events = result.events.filter((event) => event.timeMs >= earliestMs && event.timeMs < fleet.endMs).sort(compareEvents);
      if (events.length === 0) throw new Error(`${kind} episode for ${agent.id} has no event inside the span`);
      if (result.silentFromMs !== undefined) silentFromMs.set(agent.id, result.silentFromMs);
      episodes.push({ kind, agentId: agent.id, events });
    }
  }
  return { episodes, silentFromMs };
}
