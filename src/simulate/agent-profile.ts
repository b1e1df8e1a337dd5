// One simulated agent's fixed traits, drawn once from its own seeded stream: identity, time zone,
// pace, delegating users (and when new ones join), source addresses (and when new ones appear),
// runtime version and deployment, token rotation, and the working sets its tools start from.
// Everything that varies over time is a pure function of the profile and the instant, so the
// benign stream and the attacks see the same token, users and addresses at the same moment.
import { type Archetype, NAME_WORDS, makeName } from './archetypes.js';
import { isoTime } from './event-builder.js';
import { Random, hash32 } from './random.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface TimedValue {
  value: string;
  /** The instant from which the value is in use (the span's start for the first ones). */
  fromMs: number;
}

export interface TokenGrant {
  id: string;
  clientId: string;
  scopes: string[];
  issuedMs: number;
  expiresMs: number;
  /** `token` as it appears in an event, built once per grant, and as JSON text. */
  json: { id: string; client_id: string; scopes: string[]; issued_at: string; expires_at: string };
  fragment: string;
}

export interface AgentProfile {
  index: number;
  id: string;
  archetype: Archetype;
  owner: string;
  /** `agent` as it appears in an event, and as JSON text. */
  agentJson: { id: string; owner: string; type: string };
  agentFragment: string;
  /** Hash of (seed, agent index): the root of this agent's pure per-instant values (token ids). */
  key: number;
  utcOffsetMs: number;
  /** Weekday tasks started per day. */
  sessionsPerDay: number;
  /** This agent's data is bigger or smaller than its kind's typical size. */
  bytesScale: number;
  /** Delegating users, ordered by when they join; with a service principal first if the kind has one. */
  users: TimedValue[];
  /** Source addresses, ordered by when they come into use; all in `subnet` but rare failover ones. */
  ips: TimedValue[];
  /** The /24 the agent runs in, as `a.b.c`. */
  subnet: string;
  /** When this agent picked up its kind's release (new action, new runtime version); undefined = never. */
  deployedAtMs: number | undefined;
  userAgentBefore: string;
  userAgentAfter: string;
  tokenTtlMs: number;
  /** Rotation boundaries are `tokenPhaseMs + k · tokenTtlMs`. */
  tokenPhaseMs: number;
  /** Initial working sets by pool key (resource type and prefix), copied by each stream that uses them. */
  initialPools: ReadonlyMap<string, readonly string[]>;
  /** Known mail recipients (colleagues, partners). */
  initialContacts: readonly string[];
  partnerDomains: readonly string[];
}

export interface FleetSpan {
  seed: number;
  startMs: number;
  days: number;
}

const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kemal',
  'lena',
  'mia',
  'nils',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sam',
  'tariq',
  'uma',
  'vera',
  'wei',
  'yusuf',
  'zoe',
];
const LAST_NAMES = [
  'adler',
  'berg',
  'costa',
  'diaz',
  'evans',
  'fischer',
  'garcia',
  'haas',
  'ito',
  'jensen',
  'kim',
  'lopez',
  'meyer',
  'novak',
  'okafor',
  'park',
  'rossi',
  'silva',
  'tanaka',
  'weber',
];
const COMPANY_DOMAIN = 'corp.example';
const CLOUD_FIRST_OCTETS = [34, 35, 52, 54, 18];

export function poolKey(resourceType: string, prefix: string): string {
  return `${resourceType}|${prefix}`;
}

export function colleagueAddress(random: Random): string {
  return `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}@${COMPANY_DOMAIN}`;
}

export function partnerAddress(random: Random, domain: string): string {
  return `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}@${domain}`;
}

export function orgUserId(random: Random): string {
  return `u-${random.int(10_000, 99_999)}`;
}

/** Draws one agent's profile. `releaseAtMs` is when its kind's new version ships (fleet-wide). */
export function buildAgentProfile(span: FleetSpan, index: number, numberInKind: number, archetype: Archetype, releaseAtMs: number): AgentProfile {
  const random = new Random(span.seed, 'agent-profile', index);
  const id = `agent-${archetype.prefix}-${numberInKind}`;
  const owner = random.pick(archetype.owners);
  const spanEndMs = span.startMs + span.days * DAY_MS;

  const users: TimedValue[] = [];
  const seenUsers = new Set<string>();
  if (archetype.users.servicePrincipal) users.push({ value: `svc-${archetype.clientId}-${numberInKind}`, fromMs: span.startMs });
  const poolSize = random.int(archetype.users.pool[0], archetype.users.pool[1]);
  const addUser = (fromMs: number) => {
    let user = orgUserId(random);
    while (seenUsers.has(user)) user = orgUserId(random);
    seenUsers.add(user);
    users.push({ value: user, fromMs });
  };
  for (let i = 0; i < poolSize; i += 1) addUser(span.startMs);
  const joins = random.poisson((archetype.users.joinsPerWeek * span.days) / 7);
  const joinTimes = Array.from({ length: joins }, () => span.startMs + random.float() * span.days * DAY_MS).sort((a, b) => a - b);
  for (const joinedMs of joinTimes) addUser(Math.round(joinedMs));

  const subnet =
    archetype.network === 'internal'
      ? `10.${random.int(16, 250)}.${random.int(0, 255)}`
      : `${random.pick(CLOUD_FIRST_OCTETS)}.${random.int(0, 255)}.${random.int(0, 255)}`;
  const ips: TimedValue[] = [];
  const usedHosts = new Set<number>();
  const addHost = (prefix: string, fromMs: number) => {
    let host = random.int(4, 250);
    while (usedHosts.has(host)) host = random.int(4, 250);
    usedHosts.add(host);
    ips.push({ value: `${prefix}.${host}`, fromMs });
  };
  const hostCount = archetype.network === 'internal' ? random.int(2, 6) : random.int(1, 3);
  for (let i = 0; i < hostCount; i += 1) addHost(subnet, span.startMs);
  // Autoscaling and redeploys bring new addresses in the same /24; a failover rarely moves the agent next door.
  const ipChanges: { fromMs: number; failover: boolean }[] = [];
  for (let day = 0; day < span.days; day += 1) {
    if (random.chance(0.08)) ipChanges.push({ fromMs: Math.round(span.startMs + (day + random.float()) * DAY_MS), failover: false });
    if (random.chance(0.01)) ipChanges.push({ fromMs: Math.round(span.startMs + (day + random.float()) * DAY_MS), failover: true });
  }
  for (const change of ipChanges) {
    if (!change.failover) addHost(subnet, change.fromMs);
    else {
      const [a, b, c] = subnet.split('.').map(Number) as [number, number, number];
      addHost(`${a}.${b}.${(c + 1) % 256}`, change.fromMs);
    }
  }

  const [major, minor, patch] = archetype.version;
  const versionBefore = `${major}.${minor}.${patch + random.int(0, 2)}`;
  const versionAfter = `${major}.${minor + 1}.0`;
  const adopts = random.chance(0.7);
  const deployDelayMs = random.exponential(8 * HOUR_MS);
  const deployedAtMs = adopts && releaseAtMs + deployDelayMs < spanEndMs ? Math.round(releaseAtMs + deployDelayMs) : undefined;

  const tokenTtlMs = archetype.tokenTtlMinutes * MINUTE_MS;
  const tokenPhaseMs = span.startMs - Math.floor(random.float() * tokenTtlMs);

  const initialPools = new Map<string, string[]>();
  for (const spec of Object.values(archetype.actions)) {
    if (spec.ids.kind !== 'pool') continue;
    const key = poolKey(spec.resourceType, spec.ids.prefix);
    if (initialPools.has(key)) continue;
    const size = random.int(spec.ids.size[0], spec.ids.size[1]);
    const names = new Set<string>();
    for (let attempt = 0; names.size < size && attempt < size * 4; attempt += 1) names.add(spec.ids.prefix + makeName(random, spec.ids.style, spec.ids.length));
    initialPools.set(key, [...names]);
  }

  const partnerDomains = Array.from({ length: random.int(1, 4) }, () => `${random.pick(NAME_WORDS)}-partners.example`);
  const initialContacts = Array.from({ length: random.int(8, 40) }, () =>
    random.chance(0.75) ? colleagueAddress(random) : partnerAddress(random, random.pick(partnerDomains)),
  );

  const userAgentFor = (version: string) => archetype.userAgent.replace('{version}', version);
  return {
    index,
    id,
    archetype,
    owner,
    agentJson: { id, owner, type: archetype.type },
    agentFragment: JSON.stringify({ id, owner, type: archetype.type }),
    key: hash32(span.seed, 'agent-key', index),
    utcOffsetMs: random.pick(archetype.utcOffsetsMinutes) * MINUTE_MS,
    sessionsPerDay: random.between(archetype.sessionsPerDay[0], archetype.sessionsPerDay[1]),
    bytesScale: random.logNormal(1, 0.3),
    users,
    ips: ips.sort((a, b) => a.fromMs - b.fromMs),
    subnet,
    deployedAtMs,
    userAgentBefore: userAgentFor(versionBefore),
    userAgentAfter: userAgentFor(versionAfter),
    tokenTtlMs,
    tokenPhaseMs,
    initialPools,
    initialContacts,
    partnerDomains,
  };
}

/** How many of a time-ordered list are in use at `timeMs`. */
export function countInUse(values: readonly TimedValue[], timeMs: number): number {
  let count = 0;
  while (count < values.length && (values[count] as TimedValue).fromMs <= timeMs) count += 1;
  return count;
}

export function isDeployed(agent: AgentProfile, timeMs: number): boolean {
  return agent.deployedAtMs !== undefined && timeMs >= agent.deployedAtMs;
}

export function userAgentAt(agent: AgentProfile, timeMs: number): string {
  return isDeployed(agent, timeMs) ? agent.userAgentAfter : agent.userAgentBefore;
}

/** The rotation number of the token in use at `timeMs`. */
export function tokenRotation(agent: AgentProfile, timeMs: number): number {
  return Math.floor((timeMs - agent.tokenPhaseMs) / agent.tokenTtlMs);
}

/**
 * The token of rotation `rotation`: a new jti at every boundary, valid for the TTL plus two minutes
 * of overlap (clients refresh a little early), with the kind's scopes and, on about one token in
 * 25, one extra scope.
 */
export function tokenGrant(agent: AgentProfile, rotation: number): TokenGrant {
  const issuedMs = agent.tokenPhaseMs + rotation * agent.tokenTtlMs;
  const expiresMs = issuedMs + agent.tokenTtlMs + 2 * MINUTE_MS;
  const hex = (salt: string) => hash32(agent.key, salt, rotation).toString(16).padStart(8, '0');
  const id = `jti-${hex('jti-a')}${hex('jti-b')}`;
  const { scopes: baseScopes, extraScopes, clientId } = agent.archetype;
  const extra = hash32(agent.key, 'extra-scope', rotation);
  const scopes = extra % 25 === 0 && extraScopes.length > 0 ? [...baseScopes, extraScopes[(extra >>> 8) % extraScopes.length] as string] : [...baseScopes];
  return withJson({ id, clientId, scopes, issuedMs, expiresMs });
}

export function withJson(grant: Omit<TokenGrant, 'json' | 'fragment'>): TokenGrant {
  const json = {
    id: grant.id,
    client_id: grant.clientId,
    scopes: grant.scopes,
    issued_at: isoTime(grant.issuedMs),
    expires_at: isoTime(grant.expiresMs),
  };
  return { ...grant, json, fragment: JSON.stringify(json) };
}

/** Local hour (0–23) and weekday (0 = Sunday) in the agent's time zone. */
export function localClock(agent: AgentProfile, timeMs: number): { hour: number; weekday: number } {
  const localMs = timeMs + agent.utcOffsetMs;
  const dayNumber = Math.floor(localMs / DAY_MS);
  return { hour: Math.floor((localMs - dayNumber * DAY_MS) / HOUR_MS), weekday: (((dayNumber + 4) % 7) + 7) % 7 };
}

/** Share of a weekday's tasks an office-hours agent starts in each local hour: mornings, a lunch dip, a tail into the evening. */
const OFFICE_HOURS = normalise([
  0.004, 0.003, 0.002, 0.002, 0.002, 0.004, 0.01, 0.04, 0.09, 0.12, 0.12, 0.11, 0.07, 0.1, 0.11, 0.1, 0.08, 0.05, 0.025, 0.015, 0.012, 0.01, 0.008, 0.006,
]);

function normalise(values: number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => value / total);
}

/** Expected share of a weekday's tasks the agent starts in the hour containing `timeMs`. */
export function hourlyShare(agent: AgentProfile, timeMs: number): number {
  const { hour, weekday } = localClock(agent, timeMs);
  const rhythm = agent.archetype.rhythm;
  const weekend = weekday === 0 || weekday === 6 ? rhythm.weekendFactor : 1;
  if (rhythm.pattern === 'office') return (OFFICE_HOURS[hour] as number) * weekend;
  const swing = rhythm.diurnalSwing ?? 0;
  return ((1 + swing * Math.cos((2 * Math.PI * (hour - 15)) / 24)) / 24) * weekend;
}

/** Sessions the agent is expected to start in the hour containing `timeMs` (its rhythm; batch runs aside). */
export function sessionsPerHour(agent: AgentProfile, timeMs: number): number {
  return agent.sessionsPerDay * hourlyShare(agent, timeMs);
}

/** The busiest hour's share, to turn `hourlyShare` into an acceptance probability. */
export function peakHourlyShare(agent: AgentProfile): number {
  const rhythm = agent.archetype.rhythm;
  if (rhythm.pattern === 'office') return Math.max(...OFFICE_HOURS);
  return (1 + (rhythm.diurnalSwing ?? 0)) / 24;
}
