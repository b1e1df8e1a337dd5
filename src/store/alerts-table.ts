// Reads alerts for the API (the `alerts` table, latest version of each alert via FINAL).
import type { ClickHouseHandle } from './clickhouse-connection.js';
import type { AlertRow, Severity } from './rows.js';

/** An alert row as read back: the same columns, its times as ClickHouse prints them (UTC). */
export type StoredAlert = Omit<AlertRow, 'opened_at' | 'updated_at'> & { opened_at: string; updated_at: string };

export interface AlertFilter {
  agentId?: string;
  minSeverity?: Severity;
  /** Keyset cursor: alerts updated before this (updated_at, alert_id) pair. */
  before?: { updatedAt: string; alertId: string };
  limit: number;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const ALERT_COLUMNS = `alert_id, agent_id, toString(opened_at) AS opened_at, toString(updated_at) AS updated_at, risk, toString(severity) AS severity,
  reasons, signals, event_ids, event_count, decision, status`;

export async function listAlerts(store: ClickHouseHandle, filter: AlertFilter): Promise<StoredAlert[]> {
  const conditions = ['1'];
  if (filter.agentId) conditions.push('agent_id = {agentId:String}');
  if (filter.minSeverity) conditions.push('toInt8(severity) >= {minSeverity:Int8}');
  if (filter.before) conditions.push("(updated_at, alert_id) < ({beforeTime:DateTime64(3, 'UTC')}, {beforeId:String})");
  const result = await store.client.query({
    query: `SELECT ${ALERT_COLUMNS} FROM ${store.database}.alerts FINAL WHERE ${conditions.join(' AND ')}
            ORDER BY updated_at DESC, alert_id DESC LIMIT {limit:UInt32}`,
    query_params: {
      agentId: filter.agentId ?? '',
      minSeverity: filter.minSeverity ? SEVERITY_RANK[filter.minSeverity] : 0,
      beforeTime: filter.before?.updatedAt ?? '1970-01-01 00:00:00',
      beforeId: filter.before?.alertId ?? '',
      limit: filter.limit,
    },
    format: 'JSONEachRow',
  });
  return (await result.json<StoredAlert>()).map(normaliseNumbers);
}

export async function getAlert(store: ClickHouseHandle, alertId: string): Promise<StoredAlert | undefined> {
  const result = await store.client.query({
    query: `SELECT ${ALERT_COLUMNS} FROM ${store.database}.alerts FINAL WHERE alert_id = {alertId:String} LIMIT 1`,
    query_params: { alertId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<StoredAlert>();
  return row && normaliseNumbers(row);
}

/** ClickHouse servers may quote 64-bit integers in JSON; the API always answers numbers. */
function normaliseNumbers(row: StoredAlert): StoredAlert {
  return { ...row, risk: Number(row.risk), event_count: Number(row.event_count) };
}
