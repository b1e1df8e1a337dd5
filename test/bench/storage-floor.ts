// The cost of storing alone: Warden's own `events` rows for the bench's events, written by its
// StoreWriter into the bench's embedded ClickHouse (the same table, view and settings Warden
// writes), in inserts of WARDEN_BATCH_MAX_ROWS (the cheapest per row Warden makes), with the CPU
// this process spends meanwhile — chDB's threads included. Set beside the bare consumer's CPU per event, it says how
// fast Kafka → ClickHouse could go on this machine if Warden did nothing else, with every core busy.
import pino from 'pino';
import type { AuditEvent } from '../../src/events/audit-event.js';
import { createMetrics } from '../../src/metrics.js';
import { toEventRow } from '../../src/pipeline.js';
import type { ClickHouseHandle } from '../../src/store/clickhouse-connection.js';
import type { EventRow } from '../../src/store/rows.js';
import { StoreWriter } from '../../src/store/store-writer.js';

export interface StorageFloor {
  rows: number;
  rowsPerInsert: number;
  rowsPerSecond: number;
  /** CPU of this process (all threads, chDB's included) per stored row. */
  cpuMicrosPerRow: number;
}

/** Row ids get this suffix so they never collide with the rows the end-to-end run stored. */
const FLOOR_ID_SUFFIX = '-floor';

/**
 * Stores one row per event (risk 0, no reasons: most stored rows look like that) in inserts of
 * `rowsPerInsert`, one at a time as Warden's writer runs them, and times it.
 */
export async function measureStorageFloor(store: ClickHouseHandle, events: readonly AuditEvent[], rowsPerInsert: number): Promise<StorageFloor> {
  const nowMs = Date.now();
  const rows: EventRow[] = events.map((event, offset) =>
    toEventRow({ ...event, id: `${event.id}${FLOOR_ID_SUFFIX}` }, { topic: 'bench-storage-floor', partition: 0, offset }, 0, [], '', nowMs),
  );
  const writer = new StoreWriter(store, createMetrics(), pino({ level: 'silent' }), { maxRows: rowsPerInsert, maxDelayMs: 1 });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < rows.length; start += rowsPerInsert) await writer.write(rows.slice(start, start + rowsPerInsert), []);
  await writer.close();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rows: rows.length, rowsPerInsert, rowsPerSecond: rows.length / seconds, cpuMicrosPerRow: (cpu.user + cpu.system) / rows.length };
}
