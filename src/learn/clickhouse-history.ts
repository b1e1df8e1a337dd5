// Stored history as training input: the `events` table read back in event time and turned into
// v1 event lines, so `warden train --from-clickhouse` replays it through the same parser and
// scorer as a file. A row keeps what the event carried except what the table does not store
// apart from a default (token times; bytes/records/strings of 0 or '' read back as absent).
import { WardenError } from '../errors.js';
import type { ClickHouseHandle } from '../store/clickhouse-connection.js';
import type { EventRow } from '../store/rows.js';

/** The stored columns an event is rebuilt from; `time` travels as epoch milliseconds. */
export type StoredEventColumns = Pick<
  EventRow,
  | 'event_id'
  | 'agent_id'
  | 'agent_type'
  | 'agent_owner'
  | 'action'
  | 'resource_type'
  | 'resource_id'
  | 'outcome'
  | 'user_id'
  | 'token_id'
  | 'client_id'
  | 'scopes'
  | 'source_ip'
  | 'user_agent'
  | 'session_id'
  | 'trace_id'
  | 'task_id'
  | 'declared_actions'
  | 'attributes'
> & { time_ms: number | string; bytes: number | string; records: number | string };

const COLUMNS =
  'event_id, toUnixTimestamp64Milli(time) AS time_ms, agent_id, agent_type, agent_owner, action, resource_type, resource_id, outcome, user_id, ' +
  'token_id, client_id, scopes, source_ip, user_agent, bytes, records, session_id, trace_id, task_id, declared_actions, attributes';

export interface HistoryRange {
  /** Epoch ms, inclusive. */
  sinceMs?: number;
  /** Epoch ms, exclusive. */
  untilMs?: number;
}

/** Event lines of the stored history in event-time order (FINAL: an event ingested twice counts once). */
export async function* storedEventLines(store: ClickHouseHandle, range: HistoryRange = {}): AsyncGenerator<string> {
  const conditions = [
    range.sinceMs === undefined ? '' : 'time >= fromUnixTimestamp64Milli({sinceMs:Int64})',
    range.untilMs === undefined ? '' : 'time < fromUnixTimestamp64Milli({untilMs:Int64})',
  ].filter((condition) => condition !== '');
  const result = await store.client.query({
    query: `SELECT ${COLUMNS} FROM ${store.database}.events FINAL ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY time, event_id`,
    query_params: { sinceMs: range.sinceMs ?? 0, untilMs: range.untilMs ?? 0 },
    format: 'JSONEachRow',
  });
  for await (const rows of result.stream<StoredEventColumns>()) {
    for (const row of rows) yield JSON.stringify(eventOfStoredRow(row.json()));
  }
}

/** The v1 event a stored row describes. */
export function eventOfStoredRow(row: StoredEventColumns): Record<string, unknown> {
  const text = (value: string) => (value === '' ? undefined : value);
  const count = (value: number | string) => (Number(value) > 0 ? Number(value) : undefined);
  const some = (fields: Record<string, unknown>) => (Object.values(fields).some((value) => value !== undefined) ? fields : undefined);
  return {
    id: row.event_id,
    time: new Date(Number(row.time_ms)).toISOString(),
    agent: { id: row.agent_id, type: text(row.agent_type), owner: text(row.agent_owner) },
    action: row.action,
    outcome: row.outcome,
    resource: some({ type: text(row.resource_type), id: text(row.resource_id) }),
    on_behalf_of: some({ user_id: text(row.user_id) }),
    token: some({ id: text(row.token_id), client_id: text(row.client_id), scopes: row.scopes.length > 0 ? row.scopes : undefined }),
    source: some({ ip: text(row.source_ip), user_agent: text(row.user_agent) }),
    bytes: count(row.bytes),
    records: count(row.records),
    session_id: text(row.session_id),
    trace_id: text(row.trace_id),
    task_id: text(row.task_id),
    task: row.declared_actions.length > 0 ? { declared_actions: row.declared_actions } : undefined,
    attributes: row.attributes === '' ? undefined : storedAttributes(row),
  };
}

function storedAttributes(row: StoredEventColumns): unknown {
  try {
    return JSON.parse(row.attributes);
  } catch (error) {
    throw new WardenError('INPUT_UNREADABLE', `stored event ${row.event_id}: its attributes column is not JSON`, { cause: error });
  }
}
