// Writes analysts' verdicts and the suppressions they create; reads the suppressions in force.
import type { Suppression } from '../respond/suppressions.js';
import type { ClickHouseHandle } from './clickhouse-connection.js';

export interface FeedbackRow {
  feedback_id: string;
  alert_id: string;
  agent_id: string;
  verdict: 'false_positive' | 'true_positive';
  comment: string;
  actor: string;
  time: number;
}

export interface SuppressionRow {
  suppression_id: string;
  agent_id: string;
  signal: string;
  alert_id: string;
  created_at: number;
  expires_at: number;
  created_by: string;
  reason: string;
}

export async function writeFeedback(store: ClickHouseHandle, feedback: FeedbackRow, suppressions: SuppressionRow[]): Promise<void> {
  await store.client.insert({ table: `${store.database}.feedback`, values: [feedback], format: 'JSONEachRow' });
  if (suppressions.length > 0) await store.client.insert({ table: `${store.database}.suppressions`, values: suppressions, format: 'JSONEachRow' });
}

export async function readSuppressions(store: ClickHouseHandle): Promise<Suppression[]> {
  const result = await store.client.query({
    query: `SELECT agent_id, signal, toUnixTimestamp64Milli(max(expires_at)) AS expires_at_ms FROM ${store.database}.suppressions GROUP BY agent_id, signal`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ agent_id: string; signal: string; expires_at_ms: number | string }>();
  return rows.map((row) => ({ agentId: row.agent_id, signal: row.signal, expiresAtMs: Number(row.expires_at_ms) }));
}
