// Turns one simulated call into an audit event v1 (ARCHITECTURE §3) and its NDJSON line. Benign
// calls and attack calls go through here alike, so nothing in an event's form tells them apart:
// ids are ULIDs (time + randomness from the owning stream), like a gateway would mint.
import type { Outcome } from '../events/audit-event.js';
import type { AgentProfile, TokenGrant } from './agent-profile.js';
import type { Random } from './random.js';

/**
 * One generated event: its instant and id (the sort key), its agent (the Kafka key) and its line.
 * A class rather than an object literal on purpose: V8 pretenures objects from a literal whose
 * instances tend to survive (these wait minutes of generation to be sorted), and once pretenured
 * every young-generation collection re-copies the lines they point to. Measured: half the runs
 * took twice as long, nearly all of it in the garbage collector.
 */
export class SimulatedEvent {
  constructor(
    readonly timeMs: number,
    readonly id: string,
    readonly agentId: string,
    /** The event as one line of JSON (no newline). */
    readonly line: string,
  ) {}
}

/** Time order, ties broken by id: a total order, so sorting is deterministic. */
export function compareEvents(a: SimulatedEvent, b: SimulatedEvent): number {
  return a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface TaskContext {
  id: string;
  declaredActions: readonly string[];
  /** The task's fields as they appear in an event (`,"task_id":...,"task":{...}`), serialised at first use. */
  fragment?: string;
}

/** Who is calling, from where, with what: shared by the calls of one task. */
export interface CallContext {
  agent: AgentProfile;
  userId: string;
  ip: string;
  userAgent: string;
  sessionId: string | undefined;
  traceId: string | undefined;
  task: TaskContext | undefined;
  /** A token other than the agent's scheduled one (a re-issued, broader grant). */
  tokenOverride: TokenGrant | undefined;
  /** Resource ids that stay the same for the whole task, by resource type (the PR being reviewed). */
  sticky: Map<string, string>;
}

export interface Call {
  timeMs: number;
  action: string;
  resourceType: string;
  resourceId: string;
  outcome: Outcome;
  bytes: number;
  records: number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Every pair of Crockford characters, so an id is 13 table lookups (10 bits each) rather than 26. */
const CROCKFORD_PAIRS = Array.from({ length: 1024 }, (_, value) => (CROCKFORD[value >>> 5] as string) + (CROCKFORD[value & 31] as string));

/** `evt_` + a ULID: 10 characters of millisecond time (48 bits), 16 of randomness (80 bits) from the owning stream. */
export function eventId(random: Random, timeMs: number): string {
  const pairs = CROCKFORD_PAIRS;
  const a = random.uint32();
  const b = random.uint32();
  const c = random.uint32();
  return (
    `evt_${pairs[Math.floor(timeMs / 2 ** 40) & 1023]}${pairs[Math.floor(timeMs / 2 ** 30) & 1023]}${pairs[Math.floor(timeMs / 2 ** 20) & 1023]}` +
    `${pairs[Math.floor(timeMs / 2 ** 10) & 1023]}${pairs[timeMs & 1023]}` +
    `${pairs[a & 1023]}${pairs[(a >>> 10) & 1023]}${pairs[(a >>> 20) & 1023]}${pairs[b & 1023]}${pairs[(b >>> 10) & 1023]}${pairs[(b >>> 20) & 1023]}` +
    `${pairs[c & 1023]}${pairs[(c >>> 10) & 1023]}`
  );
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
let memoDayNumber = Number.NaN;
let memoDayPrefix = '';

/** Same text as `new Date(timeMs).toISOString()` for years 0–9999, without a Date per event. */
export function isoTime(timeMs: number): string {
  const dayNumber = Math.floor(timeMs / 86_400_000);
  if (dayNumber !== memoDayNumber) {
    memoDayNumber = dayNumber;
    memoDayPrefix = new Date(dayNumber * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = timeMs - dayNumber * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  return `${memoDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1_000]}Z`;
}

const quote = JSON.stringify;

/**
 * The event's NDJSON line in the contract's field order, equal to JSON.stringify of the event
 * object (a unit test holds it to that). Built with one join from cached fragments: a template
 * literal would make a rope of ~30 string objects per line, and those ropes (flattened later, then
 * collected) cost twice the time of the join, measured.
 */
export function buildEvent(random: Random, context: CallContext, token: TokenGrant, call: Call): SimulatedEvent {
  const id = eventId(random, call.timeMs);
  const task = context.task;
  const line = [
    '{"id":"',
    id,
    '","time":"',
    isoTime(call.timeMs),
    '","agent":',
    context.agent.agentFragment,
    ',"on_behalf_of":{"user_id":',
    quote(context.userId),
    '},"token":',
    token.fragment,
    ',"action":',
    quote(call.action),
    ',"resource":{"type":',
    quote(call.resourceType),
    ',"id":',
    quote(call.resourceId),
    '},"outcome":"',
    call.outcome,
    '","source":{"ip":',
    quote(context.ip),
    ',"user_agent":',
    quote(context.userAgent),
    '},"bytes":',
    String(call.bytes),
    ',"records":',
    String(call.records),
    context.sessionId === undefined ? '' : `,"session_id":${quote(context.sessionId)}`,
    context.traceId === undefined ? '' : `,"trace_id":${quote(context.traceId)}`,
    task ? (task.fragment ??= `,"task_id":${quote(task.id)},"task":${quote({ id: task.id, declared_actions: task.declaredActions })}`) : '',
    '}',
  ].join('');
  return new SimulatedEvent(call.timeMs, id, context.agent.id, line);
}
