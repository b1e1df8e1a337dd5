// The audit event v1 contract (ARCHITECTURE §3) as the zod schema that checks it at the edge
// and the type the rest of Warden trusts once an event has passed.
import { z } from 'zod';
import type { EventLimits } from './limits.js';

export const OUTCOMES = ['success', 'failure', 'denied'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Fields the v1 contract names; anything else at the top level is kept in `attributes`. */
export const KNOWN_TOP_LEVEL_FIELDS = new Set([
  'id',
  'time',
  'agent',
  'on_behalf_of',
  'token',
  'action',
  'resource',
  'outcome',
  'source',
  'bytes',
  'records',
  'session_id',
  'trace_id',
  'task_id',
  'task',
  'attributes',
]);

/** Builds the schema for the given limits; built once per process, at start. */
export function buildAuditEventSchema(limits: EventLimits) {
  const text = z.string().max(limits.maxStringLength);
  const requiredText = z.string().min(1).max(limits.maxStringLength);
  const stringList = z.array(text).max(limits.maxArrayLength);
  const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
  const isoTime = z.string().max(64);

  return z.object({
    id: requiredText,
    time: isoTime,
    agent: z.object({ id: requiredText, owner: text.optional(), type: text.optional() }),
    on_behalf_of: z.object({ user_id: text.optional() }).partial().optional(),
    token: z
      .object({
        id: text,
        client_id: text,
        scopes: stringList,
        issued_at: isoTime,
        expires_at: isoTime,
      })
      .partial()
      .optional(),
    action: requiredText,
    resource: z.object({ type: text, id: text }).partial().optional(),
    outcome: z.enum(OUTCOMES).default('success'),
    source: z.object({ ip: text, user_agent: text }).partial().optional(),
    bytes: count.optional(),
    records: count.optional(),
    session_id: text.optional(),
    trace_id: text.optional(),
    task_id: text.optional(),
    task: z.object({ id: text, declared_actions: stringList }).partial().optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  });
}

export type AuditEventSchema = ReturnType<typeof buildAuditEventSchema>;
type ParsedFields = z.output<AuditEventSchema>;

/** An accepted event: the contract's fields plus the parsed instant, which all behaviour keys on. */
export type AuditEvent = Omit<ParsedFields, 'attributes'> & {
  /** `time` as epoch milliseconds (event time; Warden never uses the machine clock for behaviour). */
  timeMs: number;
  attributes: Record<string, unknown>;
};

/**
 * What the parser builds every accepted event as: the contract's fields in its order, each present
 * (undefined when the event lacks it), in one fixed hidden class. Built as an object spread, every
 * event had a hidden class of its own and every field read downstream (detectors, the model's
 * features, row building) was a megamorphic property lookup.
 */
export class ParsedAuditEvent implements AuditEvent {
  id = '';
  time = '';
  agent: AuditEvent['agent'] = NO_AGENT;
  on_behalf_of: AuditEvent['on_behalf_of'] = undefined;
  token: AuditEvent['token'] = undefined;
  action = '';
  resource: AuditEvent['resource'] = undefined;
  outcome: AuditEvent['outcome'] = 'success';
  source: AuditEvent['source'] = undefined;
  bytes: AuditEvent['bytes'] = undefined;
  records: AuditEvent['records'] = undefined;
  session_id: AuditEvent['session_id'] = undefined;
  trace_id: AuditEvent['trace_id'] = undefined;
  task_id: AuditEvent['task_id'] = undefined;
  task: AuditEvent['task'] = undefined;
  // NaN, not 0: a double from the start, so the first real time does not change the field's representation.
  timeMs = Number.NaN;
  attributes: AuditEvent['attributes'] = NO_ATTRIBUTES;
}

const NO_AGENT: AuditEvent['agent'] = Object.freeze({ id: '' });
const NO_ATTRIBUTES: AuditEvent['attributes'] = Object.freeze({});

// A field added to the contract but not to ParsedAuditEvent fails to type-check here.
type NoneMissing<Missing extends never> = Missing;
export type ParsedAuditEventHasEveryField = NoneMissing<Exclude<keyof AuditEvent, keyof ParsedAuditEvent>>;
