// Synthetic audit traffic for the benchmark: a fleet of agents of five kinds (mail assistants,
// document indexers, CRM workflow agents, ops bots, coding agents), each with its own actions,
// resources, addresses and pace, so the detectors see a realistic mix rather than one repeated
// event. Seeded and allocation-light: 250k events serialise in well under a second.
import type { EventFields } from '../support/events.js';
import { seededRandom } from '../../src/evaluate/reference/seeded-random.js';

export interface BenchRecord {
  key: string;
  value: string;
}

interface AgentKind {
  /** Short prefix of the kind's agent ids. */
  prefix: string;
  type: string;
  owner: string;
  actions: readonly (readonly [string, number])[];
  resourceType: string;
  /** How many distinct resources the agent works on; 0 = a new resource on most calls. */
  resourceCount: number;
  ipCount: number;
  userCount: number;
  failureShare: number;
  deniedShare: number;
  medianBytes: number;
  medianRecords: number;
  /** Bots run around the clock; assistants follow office hours. */
  officeHours: boolean;
}

const KINDS: readonly AgentKind[] = [
  {
    prefix: 'mail',
    type: 'email-assistant',
    owner: 'team-support',
    resourceType: 'mailbox',
    resourceCount: 4,
    ipCount: 2,
    userCount: 4,
    actions: [
      ['mail.read', 50],
      ['mail.search', 20],
      ['mail.send', 10],
      ['calendar.read', 15],
      ['contacts.read', 5],
    ],
    failureShare: 0.01,
    deniedShare: 0.002,
    medianBytes: 2_000,
    medianRecords: 3,
    officeHours: true,
  },
  {
    prefix: 'docs',
    type: 'doc-indexer',
    owner: 'team-search',
    resourceType: 'document',
    resourceCount: 0,
    ipCount: 1,
    userCount: 1,
    actions: [
      ['docs.read', 75],
      ['docs.list', 20],
      ['docs.search', 5],
    ],
    failureShare: 0.005,
    deniedShare: 0.001,
    medianBytes: 20_000,
    medianRecords: 1,
    officeHours: false,
  },
  {
    prefix: 'crm',
    type: 'workflow-agent',
    owner: 'team-sales-ops',
    resourceType: 'record',
    resourceCount: 200,
    ipCount: 12,
    userCount: 20,
    actions: Array.from({ length: 40 }, (_, k) => [`crm.op_${k}`, 1 + (k % 7)] as const),
    failureShare: 0.02,
    deniedShare: 0.005,
    medianBytes: 900,
    medianRecords: 5,
    officeHours: true,
  },
  {
    prefix: 'ops',
    type: 'ops-bot',
    owner: 'team-sre',
    resourceType: 'pod',
    resourceCount: 20,
    ipCount: 1,
    userCount: 0,
    actions: [
      ['k8s.get', 40],
      ['k8s.list', 30],
      ['k8s.logs', 25],
      ['k8s.exec', 5],
    ],
    failureShare: 0.1,
    deniedShare: 0.01,
    medianBytes: 800,
    medianRecords: 40,
    officeHours: false,
  },
  {
    prefix: 'code',
    type: 'coding-agent',
    owner: 'team-dev',
    resourceType: 'repo',
    resourceCount: 6,
    ipCount: 2,
    userCount: 3,
    actions: [
      ['repo.read', 50],
      ['repo.write', 15],
      ['ci.run', 10],
      ['issues.read', 15],
      ['issues.create', 5],
      ['pr.create', 5],
    ],
    failureShare: 0.03,
    deniedShare: 0.02,
    medianBytes: 5_000,
    medianRecords: 2,
    officeHours: true,
  },
];

/** Share of the fleet per kind, as slots out of 10. */
const KIND_BY_SLOT = [0, 0, 0, 1, 1, 2, 2, 3, 4, 4] as const;

interface FleetAgent {
  id: string;
  kind: AgentKind;
  actionCumulative: number[];
  ips: string[];
  users: string[];
  /** Relative activity: a few agents are far busier than most. */
  activity: number;
  /** Counter for kinds that meet a new resource on most calls. */
  freshResources: number;
}

export interface Fleet {
  agents: FleetAgent[];
  /** Cumulative activity, to pick agents in proportion to how busy they are. */
  activityCumulative: number[];
  random: () => number;
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function cumulative(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((weight) => (total += weight));
}

/** Index of the first cumulative weight above a uniform draw. */
function pick(cumulativeWeights: readonly number[], random: () => number): number {
  const target = random() * (cumulativeWeights[cumulativeWeights.length - 1] ?? 0);
  let low = 0;
  let high = cumulativeWeights.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cumulativeWeights[mid] ?? 0) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function createFleet(agentCount: number, seed: number): Fleet {
  const random = seededRandom(seed);
  const agents: FleetAgent[] = [];
  for (let index = 0; index < agentCount; index += 1) {
    const kind = KINDS[KIND_BY_SLOT[index % KIND_BY_SLOT.length] ?? 0] as AgentKind;
    const id = `${kind.prefix}-${index}`;
    agents.push({
      id,
      kind,
      actionCumulative: cumulative(kind.actions.map(([, weight]) => weight)),
      ips: Array.from({ length: kind.ipCount }, (_, i) => `10.${(index >> 8) & 255}.${index & 255}.${10 + i}`),
      users: Array.from({ length: kind.userCount }, (_, i) => `u-${(index * 7 + i * 13) % 5_000}`),
      activity: Math.exp(0.8 * standardNormal(random)),
      freshResources: 0,
    });
  }
  return { agents, activityCumulative: cumulative(agents.map((agent) => agent.activity)), random };
}

function resourceId(agent: FleetAgent, random: () => number): string {
  const { kind } = agent;
  if (kind.resourceCount === 0) {
    // Mostly new documents, sometimes one of the last few again.
    if (random() < 0.7 || agent.freshResources === 0) agent.freshResources += 1;
    const back = agent.freshResources === 0 ? 0 : Math.floor(random() * Math.min(50, agent.freshResources));
    return `d-${agent.id}-${agent.freshResources - back}`;
  }
  if (kind.resourceType === 'mailbox') return `${agent.users[Math.floor(random() * agent.users.length)] ?? 'u-0'}/inbox`;
  return `${kind.resourceType}-${Math.floor(random() * kind.resourceCount)}`;
}

function buildEvent(agent: FleetAgent, id: string, timeMs: number, random: () => number): EventFields {
  const { kind } = agent;
  const roll = random();
  const outcome = roll < kind.deniedShare ? 'denied' : roll < kind.deniedShare + kind.failureShare ? 'failure' : 'success';
  const event: EventFields = {
    id,
    time: new Date(timeMs).toISOString(),
    agent: { id: agent.id, owner: kind.owner, type: kind.type },
    action: kind.actions[pick(agent.actionCumulative, random)]?.[0] ?? 'unknown',
    resource: { type: kind.resourceType, id: resourceId(agent, random) },
    outcome,
    source: { ip: agent.ips[Math.floor(random() * agent.ips.length)] ?? '10.0.0.1' },
    bytes: Math.round(kind.medianBytes * Math.exp(0.5 * standardNormal(random))),
    records: Math.max(0, Math.round(kind.medianRecords * Math.exp(0.6 * standardNormal(random)))),
  };
  if (agent.users.length > 0) event.on_behalf_of = { user_id: agent.users[Math.floor(random() * agent.users.length)] ?? 'u-0' };
  return event;
}

function toRecord(event: EventFields): BenchRecord {
  return { key: event.agent.id, value: JSON.stringify(event) };
}

/**
 * `total` events spread over the `spanMs` before `endMs`, in event-time order, every agent with at
 * least `minPerAgent` (so all of them get past warm-up), busier agents with more.
 */
export function historyRecords(fleet: Fleet, options: { total: number; endMs: number; spanMs: number; minPerAgent: number; idPrefix: string }): BenchRecord[] {
  const { agents, random } = fleet;
  const { total, endMs, spanMs, minPerAgent, idPrefix } = options;
  if (total < agents.length * minPerAgent) throw new Error(`${total} events cannot give ${agents.length} agents ${minPerAgent} each`);
  const totalActivity = agents.reduce((sum, agent) => sum + agent.activity, 0);
  const spare = total - agents.length * minPerAgent;
  const counts = agents.map((agent) => minPerAgent + Math.floor((spare * agent.activity) / totalActivity));
  for (let i = 0, left = total - counts.reduce((a, b) => a + b, 0); left > 0; i = (i + 1) % counts.length, left -= 1) counts[i] = (counts[i] ?? 0) + 1;

  // (time, agent) pairs first, sorted, then events built in time order so each agent's
  // resource history unfolds forwards.
  const times = new Float64Array(total);
  const owners = new Uint32Array(total);
  let slot = 0;
  const startMs = endMs - spanMs;
  counts.forEach((count, agentIndex) => {
    const officeHours = agents[agentIndex]?.kind.officeHours ?? false;
    for (let n = 0; n < count; n += 1) {
      let timeMs: number;
      do timeMs = startMs + random() * spanMs;
      while (officeHours && !isOfficeHour(timeMs) && random() > 0.2);
      times[slot] = timeMs;
      owners[slot] = agentIndex;
      slot += 1;
    }
  });
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  return order.map((at, n) => toRecord(buildEvent(agents[owners[at] ?? 0] as FleetAgent, `${idPrefix}-${n.toString(36)}`, Math.floor(times[at] ?? 0), random)));
}

/** One live event dated `timeMs`, of `agentId` or else of an agent picked in proportion to its activity. */
export function liveRecord(fleet: Fleet, id: string, timeMs: number, agentId?: string): BenchRecord {
  const agent = (
    agentId === undefined ? fleet.agents[pick(fleet.activityCumulative, fleet.random)] : fleet.agents.find((candidate) => candidate.id === agentId)
  ) as FleetAgent | undefined;
  if (agent === undefined) throw new Error(`no agent ${agentId ?? ''} in the fleet`);
  return toRecord(buildEvent(agent, id, timeMs, fleet.random));
}

export function agentIds(fleet: Fleet): string[] {
  return fleet.agents.map((agent) => agent.id);
}

function isOfficeHour(timeMs: number): boolean {
  const hour = new Date(timeMs).getUTCHours();
  const day = new Date(timeMs).getUTCDay();
  return day !== 0 && day !== 6 && hour >= 8 && hour < 18;
}
