// The fixed-shape copy scoreAndLearn hands to the detectors: the parsed event's fields, no more, no less.
import { describe, expect, it } from 'vitest';
import { DetectorEvent, detectorEvent } from '../../../src/detect/detector-event.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { auditEvent } from './fixtures/agent-traffic.js';

const everyField: AuditEvent = {
  ...auditEvent({
    timeMs: Date.parse('2026-11-24T10:00:00Z'),
    resource: { type: 'mailbox', id: 'u-1/inbox' },
    ip: '10.1.2.3',
    userAgent: 'agent-runtime/1.2',
    bytes: 1200,
    records: 3,
    userId: 'u-1',
    token: { id: 'tok-1', scopes: ['mail.read'], issuedMs: 0, expiresMs: 1 },
    sessionId: 's-1',
    task: { id: 'task-1', declaredActions: ['mail.read'] },
  }),
  trace_id: 'trace-1',
  attributes: { region: 'eu' },
};

describe('detectorEvent', () => {
  it('copies every field of an event that has them all', () => {
    const copy = detectorEvent(everyField);
    expect(copy).toBeInstanceOf(DetectorEvent);
    expect(Object.keys(everyField).every((key) => key in copy)).toBe(true);
    for (const key of Object.keys(everyField) as (keyof AuditEvent)[]) expect(copy[key]).toBe(everyField[key]);
  });

  it('leaves the fields an event lacks undefined, with the same set of fields as a full event', () => {
    const sparse = auditEvent({ timeMs: Date.parse('2026-11-24T10:00:00Z') });
    const copy = detectorEvent(sparse);
    expect(copy.resource).toBeUndefined();
    expect(copy.token).toBeUndefined();
    expect(copy.timeMs).toBe(sparse.timeMs);
    expect(Object.keys(copy)).toEqual(Object.keys(detectorEvent(everyField)));
  });

  it('makes a new copy per call, so two scorings of one event never share a memo key', () => {
    expect(detectorEvent(everyField)).not.toBe(detectorEvent(everyField));
  });
});
