// How an agent works through a session: tasks drawn from its workflows, each a walk of the
// workflow's Markov chain, one call per step with the pause of a model thinking in between;
// resources from the agent's working sets (growing with legitimate novelty), sizes log-normal,
// failures retried, refusals sometimes ending the task. The benign stream and the attacks that
// hide inside normal work (off-hours use, a zombie's return) both run sessions through here.
import type { Outcome } from '../events/audit-event.js';
import { type ActionSpec, type Archetype, type Workflow, makeName, workflowActions } from './archetypes.js';
import {
  type AgentProfile,
  HOUR_MS,
  MINUTE_MS,
  type TokenGrant,
  colleagueAddress,
  countInUse,
  isDeployed,
  partnerAddress,
  poolKey,
  tokenGrant,
  tokenRotation,
  userAgentAt,
} from './agent-profile.js';
import { type CallContext, type SimulatedEvent, buildEvent } from './event-builder.js';
import { type Random, WeightedTable, ZipfRanks } from './random.js';

/** A fleet-wide incident of a downstream service: its calls fail far more often for a while (benign). */
export interface Outage {
  actionPrefix: string;
  startMs: number;
  endMs: number;
  failureShare: number;
}

interface CompiledWorkflow {
  workflow: Workflow;
  transitions: Map<string, WeightedTable<string>>;
  declared: string[];
  declaredAfterRelease: string[];
}

/** An archetype with its tables built once: workflow choice, transitions, declared actions. */
class CompiledArchetype {
  readonly workflows: CompiledWorkflow[];
  readonly interactive: WeightedTable<CompiledWorkflow>;
  readonly byName: Map<string, CompiledWorkflow>;

  constructor(readonly archetype: Archetype) {
    this.workflows = archetype.workflows.map((workflow) => {
      const transitions = new Map<string, WeightedTable<string>>();
      for (const [from, targets] of Object.entries(workflow.next)) transitions.set(from, new WeightedTable(targets));
      const declared = workflowActions(workflow);
      const declaredAfterRelease = declared.includes(archetype.release.after) ? [...declared, archetype.release.action].sort() : declared;
      return { workflow, transitions, declared, declaredAfterRelease };
    });
    this.interactive = new WeightedTable(
      this.workflows.filter((compiled) => !compiled.workflow.batch).map((compiled) => [compiled, compiled.workflow.weight] as const),
    );
    this.byName = new Map(this.workflows.map((compiled) => [compiled.workflow.name, compiled]));
  }
}

/** What one stream of an agent's activity has learned so far: grown working sets, met contacts, current token. */
export class AgentRunState {
  readonly pools = new Map<string, string[]>();
  readonly contacts: string[];
  /** The last two grants: overlapping sessions straddle a rotation, so lookups alternate between neighbours. */
  private recent: TokenGrant[] = [];

  constructor(readonly agent: AgentProfile) {
    for (const [key, names] of agent.initialPools) this.pools.set(key, [...names]);
    this.contacts = [...agent.initialContacts];
  }

  tokenAt(timeMs: number): TokenGrant {
    const rotation = tokenRotation(this.agent, timeMs);
    const issuedMs = this.agent.tokenPhaseMs + rotation * this.agent.tokenTtlMs;
    for (const grant of this.recent) if (grant.issuedMs === issuedMs) return grant;
    const grant = tokenGrant(this.agent, rotation);
    this.recent = [grant, ...this.recent.slice(0, 1)];
    return grant;
  }
}

export interface SessionOptions {
  /** Run this workflow (a batch) instead of drawing interactive ones. */
  workflow?: string;
  userId?: string;
  ip?: string;
  /** Number of tasks; drawn from the archetype otherwise. */
  tasks?: number;
}

export interface CallOptions {
  /** Multiplies the action's usual bytes / records (exfiltration reads). */
  bytesFactor?: number;
  recordsFactor?: number;
  outcome?: Outcome;
  /** Pick a working-set item the agent has not touched (fan-out) instead of a familiar one. */
  unfamiliarResource?: boolean;
  /** Whose resource a per-user action touches (another user's inbox), if not the delegating user's. */
  resourceUserId?: string | undefined;
}

const RETRY_SHARE = 0.5;
const GIVE_UP_AFTER_DENIAL_SHARE = 0.5;
const NEW_CONTACT_SHARE = 0.04;
const DEFAULT_MAX_STEPS = 80;

export class SessionRunner {
  private readonly compiled = new Map<Archetype, CompiledArchetype>();
  private readonly poolRanks = new ZipfRanks(1.0);
  private readonly userRanks = new ZipfRanks(0.8);
  private readonly ipRanks = new ZipfRanks(1.5);

  constructor(
    archetypes: readonly Archetype[],
    private readonly outages: readonly Outage[],
  ) {
    for (const archetype of archetypes) this.compiled.set(archetype, new CompiledArchetype(archetype));
  }

  compiledFor(agent: AgentProfile): CompiledArchetype {
    const compiled = this.compiled.get(agent.archetype);
    if (!compiled) throw new Error(`archetype ${agent.archetype.type} was not compiled`);
    return compiled;
  }

  /** A user of the agent's pool at `timeMs` (favourites more often); the service principal only if asked. */
  pickUser(agent: AgentProfile, random: Random, timeMs: number): string {
    const skip = agent.archetype.users.servicePrincipal ? 1 : 0;
    const inUse = countInUse(agent.users, timeMs) - skip;
    if (inUse <= 0) return (agent.users[0] as { value: string }).value;
    return (agent.users[skip + this.userRanks.pick(random, inUse)] as { value: string }).value;
  }

  pickIp(agent: AgentProfile, random: Random, timeMs: number): string {
    const inUse = Math.max(1, countInUse(agent.ips, timeMs));
    // Newest addresses are the most used: a redeploy moves traffic to the new host.
    return (agent.ips[inUse - 1 - this.ipRanks.pick(random, inUse)] as { value: string }).value;
  }

  /** A context for a new session of the agent at `timeMs`: its user, address, runtime, fresh ids. */
  newContext(state: AgentRunState, random: Random, timeMs: number, overrides: { userId?: string; ip?: string } = {}): CallContext {
    const agent = state.agent;
    return {
      agent,
      userId: overrides.userId ?? this.pickUser(agent, random, timeMs),
      ip: overrides.ip ?? this.pickIp(agent, random, timeMs),
      userAgent: userAgentAt(agent, timeMs),
      sessionId: `sess_${random.hex(16)}`,
      traceId: undefined,
      task: undefined,
      tokenOverride: undefined,
      sticky: new Map(),
    };
  }

  /** Starts a task of `workflow` (or a drawn interactive one) in the context: new trace, declared actions. */
  startTask(context: CallContext, random: Random, timeMs: number, workflowName?: string): CompiledWorkflow {
    const compiled = this.compiledFor(context.agent);
    const workflow = workflowName ? compiled.byName.get(workflowName) : compiled.interactive.pick(random);
    if (!workflow) throw new Error(`no workflow ${workflowName ?? ''} for ${context.agent.archetype.type}`);
    context.traceId = random.hex(32);
    context.task = { id: `task_${random.hex(12)}`, declaredActions: isDeployed(context.agent, timeMs) ? workflow.declaredAfterRelease : workflow.declared };
    context.sticky.clear();
    return workflow;
  }

  /**
   * Runs one session from `startMs`, passing each event to `emit`; returns when its last call was made.
   */
  runSession(state: AgentRunState, random: Random, startMs: number, emit: (event: SimulatedEvent) => void, options: SessionOptions = {}): number {
    const agent = state.agent;
    const archetype = agent.archetype;
    const context = this.newContext(state, random, startMs, options);
    const tasks = options.tasks ?? 1 + random.poisson(archetype.extraTasksPerSession);
    let timeMs = startMs;
    for (let taskIndex = 0; taskIndex < tasks; taskIndex += 1) {
      if (taskIndex > 0) timeMs += Math.round(random.logNormal(45_000, 0.8));
      const compiled = this.startTask(context, random, timeMs, options.workflow);
      const { workflow } = compiled;
      const [thinkMedian, thinkSigma] = workflow.thinkSeconds ?? archetype.thinkSeconds;
      const maxSteps = workflow.maxSteps ?? DEFAULT_MAX_STEPS;
      let action = workflow.start;
      for (let step = 0; step < maxSteps; step += 1) {
        const event = this.call(state, random, context, timeMs, action);
        emit(event.event);
        let next: string;
        if (event.outcome === 'failure' && random.chance(RETRY_SHARE)) {
          next = action;
          timeMs += Math.round(500 + random.exponential(2_000));
        } else {
          if (event.outcome === 'denied' && random.chance(GIVE_UP_AFTER_DENIAL_SHARE)) break;
          next = this.nextAction(compiled, agent, random, action, timeMs);
          timeMs += thinkMs(random, thinkMedian, thinkSigma);
        }
        if (next === 'END') break;
        action = next;
      }
    }
    return timeMs;
  }

  private nextAction(compiled: CompiledWorkflow, agent: AgentProfile, random: Random, action: string, timeMs: number): string {
    const release = agent.archetype.release;
    if (action === release.after && isDeployed(agent, timeMs) && random.chance(release.share)) return release.action;
    const table = compiled.transitions.get(action) ?? (action === release.action ? compiled.transitions.get(release.after) : undefined);
    return table ? table.pick(random) : 'END';
  }

  /** One call of one of the agent's own actions, sized and resolved like its normal calls. */
  call(
    state: AgentRunState,
    random: Random,
    context: CallContext,
    timeMs: number,
    action: string,
    options: CallOptions = {},
  ): { event: SimulatedEvent; outcome: Outcome } {
    const archetype = state.agent.archetype;
    const spec = archetype.actions[action];
    if (!spec) throw new Error(`${archetype.type} has no action ${action}`);
    const outcome = options.outcome ?? this.drawOutcome(random, archetype, spec, action, timeMs);
    const resourceId = this.resolveResource(state, random, context, spec, options.unfamiliarResource ?? false, options.resourceUserId);
    const { bytes, records } = sizeOf(random, spec, outcome, state.agent.bytesScale * (options.bytesFactor ?? 1), options.recordsFactor ?? 1);
    const token = context.tokenOverride ?? state.tokenAt(timeMs);
    const event = buildEvent(random, context, token, { timeMs, action, resourceType: spec.resourceType, resourceId, outcome, bytes, records });
    return { event, outcome };
  }

  private drawOutcome(random: Random, archetype: Archetype, spec: ActionSpec, action: string, timeMs: number): Outcome {
    let failure = spec.failure ?? archetype.failure;
    for (const outage of this.outages) {
      if (timeMs >= outage.startMs && timeMs < outage.endMs && action.startsWith(outage.actionPrefix)) failure = Math.max(failure, outage.failureShare);
    }
    const denied = spec.denied ?? archetype.denied;
    const draw = random.float();
    if (draw < denied) return 'denied';
    if (draw < denied + failure) return 'failure';
    return 'success';
  }

  resolveResource(state: AgentRunState, random: Random, context: CallContext, spec: ActionSpec, unfamiliar: boolean, resourceUserId?: string): string {
    const ids = spec.ids;
    switch (ids.kind) {
      case 'fixed':
        return ids.id;
      case 'user':
        return (resourceUserId ?? context.userId) + ids.suffix;
      case 'recipient':
        return this.recipient(state, random);
      case 'fresh': {
        const held = ids.sticky && !unfamiliar ? context.sticky.get(spec.resourceType) : undefined;
        if (held) return held;
        const id = ids.prefix + makeName(random, ids.style, ids.length);
        if (ids.sticky) context.sticky.set(spec.resourceType, id);
        return id;
      }
      case 'pool': {
        const held = ids.sticky && !unfamiliar ? context.sticky.get(spec.resourceType) : undefined;
        if (held) return held;
        const key = poolKey(spec.resourceType, ids.prefix);
        let names = state.pools.get(key);
        if (!names) state.pools.set(key, (names = []));
        let name: string;
        if (unfamiliar || names.length === 0 || random.chance(ids.newShare)) {
          name = ids.prefix + makeName(random, ids.style, ids.length);
          if (!unfamiliar) names.push(name);
        } else {
          name = names[this.poolRanks.pick(random, names.length)] as string;
        }
        const id = ids.child ? `${name}${ids.child.separator}${makeName(random, ids.child.style, ids.child.length)}` : name;
        if (ids.sticky) context.sticky.set(spec.resourceType, id);
        return id;
      }
    }
  }

  private recipient(state: AgentRunState, random: Random): string {
    if (state.contacts.length === 0 || random.chance(NEW_CONTACT_SHARE)) {
      // A new colleague mostly; now and then someone at a partner the agent already writes to.
      const contact = random.chance(0.8) ? colleagueAddress(random) : partnerAddress(random, random.pick(state.agent.partnerDomains));
      state.contacts.push(contact);
      return contact;
    }
    return state.contacts[this.poolRanks.pick(random, state.contacts.length)] as string;
  }
}

function thinkMs(random: Random, medianSeconds: number, sigma: number): number {
  return Math.round(Math.min(10 * MINUTE_MS, Math.max(50, random.logNormal(medianSeconds * 1000, sigma))));
}

/** Sizes of a call: the action's log-normal sizes on success, a small error body otherwise. */
export function sizeOf(random: Random, spec: ActionSpec, outcome: Outcome, bytesScale: number, recordsFactor: number): { bytes: number; records: number } {
  if (outcome === 'denied') return { bytes: Math.round(random.logNormal(180, 0.2)), records: 0 };
  if (outcome === 'failure') return { bytes: Math.round(random.logNormal(320, 0.3)), records: 0 };
  const [bytesMedian, bytesSigma] = spec.bytes;
  const [recordsMedian, recordsSigma] = spec.records;
  return {
    bytes: Math.max(1, Math.round(random.logNormal(bytesMedian * bytesScale, bytesSigma))),
    records: Math.max(recordsMedian >= 1 ? 1 : 0, Math.round(random.logNormal(recordsMedian * recordsFactor, recordsSigma))),
  };
}

/** Longest a session may run: the zombie planner leaves at least this much quiet before the silence. */
export const LONGEST_SESSION_MS = 3 * HOUR_MS;
