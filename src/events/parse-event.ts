// Turns the raw bytes of one event into an AuditEvent or a named rejection; never throws.
import type { z } from 'zod';
import { type AuditEvent, type AuditEventSchema, KNOWN_TOP_LEVEL_FIELDS, ParsedAuditEvent } from './audit-event.js';
import type { EventLimits } from './limits.js';
import type { Rejection } from './rejection.js';

export type ParseResult = { ok: true; event: AuditEvent } | { ok: false; rejection: Rejection };

/** Epoch ms of 2000-01-01: anything older is a unit mistake (seconds for ms), not history. */
const EARLIEST_PLAUSIBLE_MS = 946_684_800_000;

export class EventParser {
  constructor(
    private readonly schema: AuditEventSchema,
    private readonly limits: EventLimits,
  ) {}

  /** `nowMs` is the receiving clock: used only to refuse events dated implausibly far ahead. */
  parse(raw: Buffer | string, nowMs: number): ParseResult {
    const byteLength = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
    if (byteLength > this.limits.maxEventBytes) {
      return reject('too_large', `event is ${byteLength} bytes; the limit is ${this.limits.maxEventBytes}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    } catch (error) {
      return reject('not_json', `not valid JSON: ${(error as Error).message}`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      return reject('not_object', `expected a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
    }
    const checked = this.schema.safeParse(json);
    if (!checked.success) return reject(...describeSchemaIssue(checked.error.issues[0]));

    const timeMs = Date.parse(checked.data.time);
    if (Number.isNaN(timeMs) || timeMs < EARLIEST_PLAUSIBLE_MS) {
      return reject('bad_time', `time ${JSON.stringify(checked.data.time)} is not an ISO 8601 instant after 2000`);
    }
    if (timeMs - nowMs > this.limits.maxFutureSkewMs) {
      return reject(
        'future_time',
        `time ${checked.data.time} is ${Math.round((timeMs - nowMs) / 1000)} s ahead of the receiving clock (limit ${this.limits.maxFutureSkewMs / 1000} s)`,
      );
    }
    const event = Object.assign(new ParsedAuditEvent(), checked.data);
    event.timeMs = timeMs;
    event.attributes = collectAttributes(json as Record<string, unknown>, checked.data.attributes);
    return { ok: true, event };
  }
}

function reject(code: Rejection['code'], reason: string): ParseResult {
  return { ok: false, rejection: { code, reason } };
}

/** Unknown top-level fields are kept, never fatal (ARCHITECTURE §3). */
function collectAttributes(json: Record<string, unknown>, declared: Record<string, unknown> | undefined): Record<string, unknown> {
  let attributes: Record<string, unknown> | undefined;
  for (const key in json) {
    if (!KNOWN_TOP_LEVEL_FIELDS.has(key)) (attributes ??= { ...declared })[key] = json[key];
  }
  return attributes ?? declared ?? {};
}

function describeSchemaIssue(issue: z.core.$ZodIssue | undefined): [Rejection['code'], string] {
  if (!issue) return ['invalid_field', 'event does not match the v1 schema'];
  const path = issue.path.map(String).join('.') || '(event)';
  // zod 4 leaves `input` off issues by default; its message names the received type.
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return ['missing_field', `required field ${path} is missing`];
  if (issue.code === 'too_big') return ['field_too_large', `field ${path} is too large: ${issue.message}`];
  return ['invalid_field', `field ${path} is invalid: ${issue.message}`];
}
