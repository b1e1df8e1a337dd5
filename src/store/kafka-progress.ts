// What the events table already holds of one Kafka partition, so a replay after a crash or a
// rebalance does not store an event twice. Inserts are atomic and the writer keeps a partition's
// rows in offset order, so the stored offsets of a partition are a prefix: the highest is enough.
import type { ClickHouseHandle } from './clickhouse-connection.js';

export async function highestStoredOffset(store: ClickHouseHandle, topic: string, partition: number, fromOffset: number): Promise<number> {
  const result = await store.client.query({
    query: `SELECT max(kafka_offset) AS offset, count() AS rows FROM ${store.database}.events
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:Int32} AND kafka_offset >= {fromOffset:Int64}`,
    query_params: { topic, partition, fromOffset },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ offset: string | number; rows: string | number }>();
  return row && Number(row.rows) > 0 ? Number(row.offset) : -1;
}
