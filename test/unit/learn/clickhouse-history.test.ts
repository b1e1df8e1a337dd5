import { describe, expect, it } from 'vitest';
import { buildAuditEventSchema } from '../../../src/events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../../../src/events/limits.js';
import { EventParser } from '../../../src/events/parse-event.js';
import { type StoredEventColumns, eventOfStoredRow } from '../../../src/learn/clickhouse-history.js';

const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);

const stored: StoredEventColumns = {
  event_id: 'e-9',
  time_ms: '1795514400123',
  agent_id: 'agent-mail-7',
  agent_type: 'email-assistant',
  agent_owner: '',
  action: 'mail.send',
  resource_type: 'mailbox',
  resource_id: 'u-1/outbox',
  outcome: 'denied',
  user_id: 'u-1',
  token_id: '',
  client_id: 'c-1',
  scopes: ['mail.send'],
  source_ip: '10.1.2.3',
  user_agent: '',
  bytes: '52000',
  records: 0,
  session_id: '',
  trace_id: 't-1',
  task_id: 'task-4',
  declared_actions: ['mail.read'],
  attributes: '{"region":"eu"}',
};

describe('stored history as events', () => {
  it('rebuilds a v1 event from an events-table row that the parser accepts as the same event', () => {
    const parsed = parser.parse(JSON.stringify(eventOfStoredRow(stored)), Number.POSITIVE_INFINITY);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.event).toMatchObject({
      id: 'e-9',
      timeMs: 1795514400123,
      agent: { id: 'agent-mail-7', type: 'email-assistant' },
      action: 'mail.send',
      outcome: 'denied',
      resource: { type: 'mailbox', id: 'u-1/outbox' },
      on_behalf_of: { user_id: 'u-1' },
      token: { client_id: 'c-1', scopes: ['mail.send'] },
      source: { ip: '10.1.2.3' },
      bytes: 52000,
      trace_id: 't-1',
      task_id: 'task-4',
      task: { declared_actions: ['mail.read'] },
      attributes: { region: 'eu' },
    });
    // Empty columns mean "not given": the event does not claim an empty owner or zero records.
    expect(parsed.event.agent.owner).toBeUndefined();
    expect(parsed.event.records).toBeUndefined();
    expect(parsed.event.token?.id).toBeUndefined();
  });
});
