// Reads and writes agent baseline checkpoints (the `baselines` table).
import type { ClickHouseHandle } from './clickhouse-connection.js';
import type { BaselineRow } from './rows.js';

export interface StoredBaseline {
  agentId: string;
  kafkaPartition: number;
  kafkaOffset: number;
  state: string;
}

export async function writeBaselines(store: ClickHouseHandle, rows: BaselineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.client.insert({ table: `${store.database}.baselines`, values: rows, format: 'JSONEachRow' });
}

/** Latest checkpoint of every agent a source owns; `partitions` narrows it to a Kafka assignment. */
export async function readBaselines(store: ClickHouseHandle, source: string, partitions?: number[]): Promise<StoredBaseline[]> {
  // An agent belongs to the partition of its newest checkpoint, hence HAVING, not WHERE.
  const partitionFilter = partitions ? 'HAVING latest_partition IN {partitions:Array(Int32)}' : '';
  const result = await store.client.query({
    query: `SELECT agent_id, argMax(kafka_partition, version) AS latest_partition, argMax(kafka_offset, version) AS latest_offset, argMax(state, version) AS latest_state
            FROM ${store.database}.baselines
            WHERE source = {source:String}
            GROUP BY agent_id ${partitionFilter}`,
    query_params: { source, partitions: partitions ?? [] },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ agent_id: string; latest_partition: number; latest_offset: number | string; latest_state: string }>();
  return rows.map((row) => ({
    agentId: row.agent_id,
    kafkaPartition: Number(row.latest_partition),
    kafkaOffset: Number(row.latest_offset),
    state: row.latest_state,
  }));
}
