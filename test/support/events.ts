// Event builders shared by every test: a steady agent fleet, bursts, and malformed records.
export interface EventFields {
  id: string;
  time: string;
  agent: { id: string; owner?: string; type?: string };
  action: string;
  [field: string]: unknown;
}

export function auditEvent(overrides: Partial<EventFields> & { id: string; agentId?: string; timeMs?: number }): EventFields {
  const { agentId, timeMs, ...rest } = overrides;
  return {
    time: new Date(timeMs ?? Date.parse('2026-11-24T10:00:00Z')).toISOString(),
    agent: { id: agentId ?? 'agent-mail-7', owner: 'team-support', type: 'email-assistant' },
    action: 'mail.read',
    resource: { type: 'mailbox', id: 'u-1/inbox' },
    outcome: 'success',
    source: { ip: '10.1.2.3', user_agent: 'agent-runtime/1.2' },
    on_behalf_of: { user_id: 'u-1' },
    bytes: 1200,
    records: 1,
    ...rest,
  };
}

/** A steady fleet: each agent calls one of its usual actions every `intervalMs` (event time). */
export function steadyFleet(options: { agents: number; eventsPerAgent: number; startMs: number; intervalMs: number; idPrefix?: string }): EventFields[] {
  const events: EventFields[] = [];
  const actions = ['mail.read', 'mail.read', 'mail.search', 'mail.send', 'calendar.read'];
  for (let step = 0; step < options.eventsPerAgent; step += 1) {
    for (let agent = 0; agent < options.agents; agent += 1) {
      const timeMs = options.startMs + step * options.intervalMs + agent * 7;
      events.push(
        auditEvent({
          id: `${options.idPrefix ?? 'evt'}-${agent}-${step}`,
          agentId: `agent-${agent}`,
          timeMs,
          action: actions[(step + agent) % actions.length] as string,
          resource: { type: 'mailbox', id: `u-${agent}/inbox` },
          bytes: 1000 + ((step * 37 + agent * 11) % 400),
        }),
      );
    }
  }
  return events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** Malformed records of every kind the parser refuses, each with the reason code it should get. */
export function malformedRecords(count: number, nowIso = '2026-11-24T10:00:00Z'): { value: string; code: string }[] {
  const kinds: ((i: number) => { value: string; code: string })[] = [
    (i) => ({ value: `{"id":"bad-${i}", not json`, code: 'not_json' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: nowIso, action: 'mail.read' }), code: 'missing_field' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: 'yesterday', agent: { id: 'a' }, action: 'mail.read' }), code: 'bad_time' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: '2099-01-01T00:00:00Z', agent: { id: 'a' }, action: 'mail.read' }), code: 'future_time' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: nowIso, agent: { id: 'a' }, action: 'mail.read', bytes: 'lots' }), code: 'invalid_field' }),
    (i) => ({ value: `[${i}]`, code: 'not_object' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: nowIso, agent: { id: 'a'.repeat(5000) }, action: 'mail.read' }), code: 'field_too_large' }),
    (i) => ({ value: JSON.stringify({ id: `bad-${i}`, time: nowIso, agent: { id: 'a' }, action: 'x', pad: 'y'.repeat(70_000) }), code: 'too_large' }),
  ];
  return Array.from({ length: count }, (_, i) => (kinds[i % kinds.length] as (i: number) => { value: string; code: string })(i));
}
