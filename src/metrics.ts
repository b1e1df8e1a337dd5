// Prometheus metrics of one Warden process; created once and handed to the stages that count.
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warden_' });
  return {
    registry,
    eventsAccepted: new Counter({ name: 'warden_events_accepted_total', help: 'Events parsed and scored', labelNames: ['source'], registers: [registry] }),
    eventsRejected: new Counter({
      name: 'warden_events_rejected_total',
      help: 'Events refused at parse, by reason code',
      labelNames: ['source', 'reason'],
      registers: [registry],
    }),
    eventsStored: new Counter({ name: 'warden_events_stored_total', help: 'Event rows written to ClickHouse', registers: [registry] }),
    eventsReplaySkipped: new Counter({
      name: 'warden_events_replay_skipped_total',
      help: 'Replayed Kafka events already stored before a restart or rebalance',
      registers: [registry],
    }),
    alertsOpened: new Counter({ name: 'warden_alerts_opened_total', help: 'Alerts opened', registers: [registry] }),
    storeFlushSeconds: new Histogram({
      name: 'warden_store_flush_seconds',
      help: 'Time to write one batch to ClickHouse',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    storeFailures: new Counter({ name: 'warden_store_write_failures_total', help: 'Failed ClickHouse write attempts (retried)', registers: [registry] }),
    storePendingRows: new Gauge({ name: 'warden_store_pending_rows', help: 'Rows waiting to be written', registers: [registry] }),
    agentsInMemory: new Gauge({ name: 'warden_agents_in_memory', help: 'Agent baselines held by this process', registers: [registry] }),
    checkpoints: new Counter({ name: 'warden_baseline_checkpoints_total', help: 'Agent baselines written to ClickHouse', registers: [registry] }),
    // From the broker's append timestamp to the row being in ClickHouse: the freshness users see.
    kafkaAppendToStoredSeconds: new Summary({
      name: 'warden_kafka_append_to_stored_seconds',
      help: 'Kafka append time to stored row',
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers: [registry],
    }),
    deadLetters: new Counter({ name: 'warden_dead_letters_total', help: 'Rejected events written to the dead-letter topic', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
