// Reads and writes agent baseline checkpoints (the `baselines` table).
import type { ClickHouseHandle } from './clickhouse-connection.js';
import type { BaselineRow } from './rows.js';

export interface StoredBaseline {
  agentId: string;
  kafkaPartition: number;
  state: string;
}

export async function writeBaselines(store: ClickHouseHandle, rows: BaselineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.client.insert({ table: `${store.database}.baselines`, values: rows, format: 'JSONEachRow' });
}

/** Latest checkpoint of every agent a source owns; `partitions` narrows it to a Kafka assignment. */
export async function readBaselines(store: ClickHouseHandle, source: string, partitions?: number[]): Promise<StoredBaseline[]> {
  const partitionFilter = partitions ? 'AND kafka_partition IN {partitions:Array(Int32)}' : '';
  const result = await store.client.query({
    query: `SELECT agent_id, argMax(kafka_partition, version) AS kafka_partition, argMax(state, version) AS state
            FROM ${store.database}.baselines
            WHERE source = {source:String} ${partitionFilter}
            GROUP BY agent_id`,
    query_params: { source, partitions: partitions ?? [] },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ agent_id: string; kafka_partition: number; state: string }>();
  return rows.map((row) => ({ agentId: row.agent_id, kafkaPartition: Number(row.kafka_partition), state: row.state }));
}
