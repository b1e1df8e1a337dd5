// Writes a consistent checkpoint of agent baselines: the snapshot is taken synchronously (so it
// matches exactly the events processed so far), then the rows of those events are flushed, then
// the baselines written. Anyone who commits progress after this (Kafka offsets) therefore never
// commits past what the stored baselines have learned.
import type { Metrics } from '../metrics.js';
import type { AgentRegistry } from '../profile/agent-registry.js';
import { readBaselines, writeBaselines } from './baselines-table.js';
import type { ClickHouseHandle } from './clickhouse-connection.js';
import type { StoreWriter } from './store-writer.js';

export class BaselineCheckpointer {
  constructor(
    private readonly store: ClickHouseHandle,
    private readonly writer: StoreWriter,
    private readonly agents: AgentRegistry,
    private readonly metrics: Metrics,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Snapshots (synchronously, before the first await) the changed agents of `partitions` (all
   * when omitted) and returns once their events, the `extraFlushes` (e.g. dead letters in
   * flight) and their baselines are stored. Callers record their own progress in the same
   * synchronous step as the call.
   */
  async checkpoint(partitions?: ReadonlySet<number>, processedThrough?: (partition: number) => number, extraFlushes: Promise<void>[] = []): Promise<number> {
    const rows = this.agents.takeCheckpoint(this.clock(), partitions, processedThrough);
    try {
      await Promise.all([this.writer.flush(), ...extraFlushes]);
      await writeBaselines(this.store, rows);
    } catch (error) {
      this.agents.markDirty(rows.map((row) => row.agent_id));
      throw error;
    }
    this.metrics.checkpoints.inc(rows.length);
    return rows.length;
  }

  /** Restores every checkpointed agent of a source (HTTP) or of some Kafka partitions. */
  async restore(partitions?: number[]): Promise<number> {
    const stored = await readBaselines(this.store, this.agents.source, partitions);
    for (const baseline of stored) this.agents.restore(baseline.agentId, baseline.kafkaPartition, baseline.kafkaOffset, baseline.state);
    this.metrics.agentsInMemory.set(this.agents.size);
    return stored.length;
  }
}
