// Reads agents for the API: each agent's newest baseline checkpoint (the `baselines` table).
import type { ClickHouseHandle } from './clickhouse-connection.js';

export interface StoredAgent {
  agent_id: string;
  updated_at: string;
  last_event_at: string;
  events_seen: number;
  events_learned: number;
  distinct_actions: number;
  usual_events_per_minute: number;
  failure_rate: number;
  median_bytes: number;
  /** own | peers | warming_up; null for checkpoints written before Warden said so. */
  baseline: 'own' | 'peers' | 'warming_up' | null;
  /** The peer group while `baseline` is peers ("peers of type email-assistant"), else null. */
  peer_group: string | null;
}

const AGENT_COLUMNS = `agent_id,
  toString(argMax(updated_at, version)) AS updated_at,
  toString(argMax(last_event_at, version)) AS last_event_at,
  argMax(events_seen, version) AS events_seen,
  argMax(events_learned, version) AS events_learned,
  argMax(distinct_actions, version) AS distinct_actions,
  argMax(usual_events_per_minute, version) AS usual_events_per_minute,
  argMax(failure_rate, version) AS failure_rate,
  argMax(median_bytes, version) AS median_bytes,
  argMax(baseline, version) AS baseline,
  argMax(peer_group, version) AS peer_group`;

export async function listAgents(store: ClickHouseHandle, afterAgentId: string, limit: number): Promise<StoredAgent[]> {
  const result = await store.client.query({
    query: `SELECT ${AGENT_COLUMNS} FROM ${store.database}.baselines WHERE agent_id > {after:String}
            GROUP BY agent_id ORDER BY agent_id LIMIT {limit:UInt32}`,
    query_params: { after: afterAgentId, limit },
    format: 'JSONEachRow',
  });
  return (await result.json<StoredAgent>()).map(normalisedRow);
}

export async function getAgent(store: ClickHouseHandle, agentId: string): Promise<StoredAgent | undefined> {
  const result = await store.client.query({
    query: `SELECT ${AGENT_COLUMNS} FROM ${store.database}.baselines WHERE agent_id = {agentId:String} GROUP BY agent_id`,
    query_params: { agentId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<StoredAgent>();
  return row && normalisedRow(row);
}

/** ClickHouse answers 64-bit integers as strings and an unrecorded baseline as "": numbers and nulls. */
function normalisedRow(row: StoredAgent): StoredAgent {
  return {
    ...row,
    events_seen: Number(row.events_seen),
    events_learned: Number(row.events_learned),
    distinct_actions: Number(row.distinct_actions),
    usual_events_per_minute: Number(row.usual_events_per_minute),
    failure_rate: Number(row.failure_rate),
    median_bytes: Number(row.median_bytes),
    baseline: row.baseline || null,
    peer_group: row.peer_group || null,
  };
}
