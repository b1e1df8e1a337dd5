import { describe, expect, it } from 'vitest';
import { buildAuditEventSchema } from '../../../src/events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../../../src/events/limits.js';
import { EventParser } from '../../../src/events/parse-event.js';
import { auditEvent, malformedRecords } from '../../support/events.js';

const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
const NOW = Date.parse('2026-11-24T10:05:00Z');

describe('EventParser', () => {
  it('accepts a v1 event and parses its time to epoch ms', () => {
    const result = parser.parse(Buffer.from(JSON.stringify(auditEvent({ id: 'e1', timeMs: Date.parse('2026-11-24T10:00:00.123Z') }))), NOW);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.event.timeMs).toBe(Date.parse('2026-11-24T10:00:00.123Z'));
      expect(result.event.outcome).toBe('success');
    }
  });

  it('defaults outcome to success and keeps unknown top-level fields in attributes', () => {
    const result = parser.parse(
      JSON.stringify({ id: 'e2', time: '2026-11-24T10:00:00Z', agent: { id: 'a' }, action: 'x', model: 'gpt', attributes: { k: 1 } }),
      NOW,
    );
    expect(result.ok && result.event.outcome).toBe('success');
    expect(result.ok && result.event.attributes).toEqual({ k: 1, model: 'gpt' });
  });

  it.each(malformedRecords(8))('refuses malformed input with reason code $code', ({ value, code }) => {
    const result = parser.parse(value, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.code).toBe(code);
      expect(result.rejection.reason).not.toMatch(/\n/);
      expect(result.rejection.reason.length).toBeGreaterThan(10);
    }
  });

  it('names the missing field', () => {
    const result = parser.parse(JSON.stringify({ id: 'e', time: '2026-11-24T10:00:00Z', agent: { id: 'a' } }), NOW);
    expect(!result.ok && result.rejection.reason).toBe('required field action is missing');
  });

  it('tells a wrongly typed field from a missing one', () => {
    const result = parser.parse(JSON.stringify({ id: 5, time: '2026-11-24T10:00:00Z', agent: { id: 'a' }, action: 'x' }), NOW);
    expect(!result.ok && result.rejection.code).toBe('invalid_field');
  });

  it('accepts events up to the future-skew limit and refuses beyond it', () => {
    const at = (ms: number) => JSON.stringify({ id: 'e', time: new Date(ms).toISOString(), agent: { id: 'a' }, action: 'x' });
    expect(parser.parse(at(NOW + DEFAULT_EVENT_LIMITS.maxFutureSkewMs), NOW).ok).toBe(true);
    expect(parser.parse(at(NOW + DEFAULT_EVENT_LIMITS.maxFutureSkewMs + 1000), NOW).ok).toBe(false);
  });

  it('refuses epoch-seconds mistakes dated before 2000', () => {
    const result = parser.parse(JSON.stringify({ id: 'e', time: '1970-01-21T00:00:00Z', agent: { id: 'a' }, action: 'x' }), NOW);
    expect(!result.ok && result.rejection.code).toBe('bad_time');
  });
});
