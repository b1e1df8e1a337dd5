// Numbered schema migrations (ARCHITECTURE §4). Each is applied once, in order, and recorded in
// schema_migrations; every statement is idempotent so a crash mid-migration can simply rerun.
// `{db}` is replaced with the configured database name (validated as an identifier).
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'events, alerts, baselines, agent_activity_1m',
    statements: [
      // ReplacingMergeTree keyed by the event's own sort key: a replayed event (same id, same
      // agent and time) collapses into one row at merge time; the Kafka source also skips
      // re-inserting events it can prove are stored (kafka_* columns), so plain count() is exact
      // after a crash replay. Analysts who ingest the same id twice over HTTP should use FINAL.
      `CREATE TABLE IF NOT EXISTS {db}.events (
        event_id String,
        time DateTime64(3, 'UTC'),
        agent_id LowCardinality(String),
        agent_type LowCardinality(String),
        agent_owner LowCardinality(String),
        action LowCardinality(String),
        resource_type LowCardinality(String),
        resource_id String,
        outcome Enum8('success' = 1, 'failure' = 2, 'denied' = 3),
        user_id String,
        token_id String,
        client_id LowCardinality(String),
        scopes Array(LowCardinality(String)),
        source_ip String,
        user_agent String,
        bytes UInt64,
        records UInt64,
        session_id String,
        trace_id String,
        task_id String,
        declared_actions Array(LowCardinality(String)),
        attributes String,
        risk Float32,
        reasons Array(String),
        alert_id String,
        kafka_topic LowCardinality(String),
        kafka_partition Int32,
        kafka_offset Int64,
        ingested_at DateTime64(3, 'UTC'),
        INDEX event_id_bloom event_id TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX kafka_offset_minmax kafka_offset TYPE minmax GRANULARITY 1
      ) ENGINE = ReplacingMergeTree
      PARTITION BY toYYYYMM(time)
      ORDER BY (agent_id, time, event_id)
      SETTINGS non_replicated_deduplication_window = 1000`,
      // One row per alert version; ReplacingMergeTree(updated_at) keeps the latest. Alert ids
      // are derived from the agent and the first risky event, so a replay rewrites the same alert.
      // non_replicated_deduplication_window: a retried insert (same insert_deduplication_token)
      // after a timeout that actually succeeded is dropped by the server, not stored twice.
      `CREATE TABLE IF NOT EXISTS {db}.alerts (
        alert_id String,
        agent_id LowCardinality(String),
        opened_at DateTime64(3, 'UTC'),
        updated_at DateTime64(3, 'UTC'),
        risk Float32,
        severity Enum8('low' = 1, 'medium' = 2, 'high' = 3, 'critical' = 4),
        reasons Array(String),
        event_ids Array(String),
        event_count UInt32,
        decision LowCardinality(String),
        status LowCardinality(String)
      ) ENGINE = ReplacingMergeTree(updated_at)
      ORDER BY alert_id
      SETTINGS non_replicated_deduplication_window = 1000`,
      `CREATE TABLE IF NOT EXISTS {db}.baselines (
        agent_id String,
        version UInt64,
        updated_at DateTime64(3, 'UTC'),
        last_event_at DateTime64(3, 'UTC'),
        events_seen UInt64,
        events_learned UInt64,
        distinct_actions UInt32,
        usual_events_per_minute Float64,
        failure_rate Float64,
        median_bytes Float64,
        source LowCardinality(String),
        kafka_partition Int32,
        kafka_offset Int64,
        state String
      ) ENGINE = ReplacingMergeTree(version)
      ORDER BY agent_id`,
      `CREATE TABLE IF NOT EXISTS {db}.agent_activity_1m (
        agent_id LowCardinality(String),
        minute DateTime('UTC'),
        events SimpleAggregateFunction(sum, UInt64),
        distinct_actions AggregateFunction(uniq, String),
        distinct_resources AggregateFunction(uniq, String),
        bytes SimpleAggregateFunction(sum, UInt64),
        failures SimpleAggregateFunction(sum, UInt64)
      ) ENGINE = AggregatingMergeTree
      ORDER BY (agent_id, minute)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.agent_activity_1m_mv TO {db}.agent_activity_1m AS
      SELECT agent_id,
             toStartOfMinute(time) AS minute,
             toUInt64(count()) AS events,
             uniqState(toString(action)) AS distinct_actions,
             uniqState(concat(toString(resource_type), '/', resource_id)) AS distinct_resources,
             sum(bytes) AS bytes,
             toUInt64(countIf(outcome != 'success')) AS failures
      FROM {db}.events
      GROUP BY agent_id, minute`,
    ],
  },
  {
    version: 2,
    name: 'api_keys',
    statements: [
      // Only the SHA-256 of a key is stored; the key itself is shown once, when created.
      `CREATE TABLE IF NOT EXISTS {db}.api_keys (
        key_hash String,
        role LowCardinality(String),
        label String,
        created_at DateTime64(3, 'UTC'),
        revoked UInt8
      ) ENGINE = ReplacingMergeTree(created_at)
      ORDER BY key_hash`,
    ],
  },
  {
    version: 3,
    name: 'alert signals, feedback, suppressions',
    statements: [
      `ALTER TABLE {db}.alerts ADD COLUMN IF NOT EXISTS signals Array(LowCardinality(String)) AFTER reasons`,
      // Analysts' verdicts on alerts: who said what, when. Append-only.
      `CREATE TABLE IF NOT EXISTS {db}.feedback (
        feedback_id String,
        alert_id String,
        agent_id LowCardinality(String),
        verdict Enum8('false_positive' = 1, 'true_positive' = 2),
        comment String,
        actor String,
        time DateTime64(3, 'UTC')
      ) ENGINE = MergeTree
      ORDER BY (agent_id, time)`,
      // A false positive mutes the signals behind it for that agent until expires_at.
      `CREATE TABLE IF NOT EXISTS {db}.suppressions (
        suppression_id String,
        agent_id LowCardinality(String),
        signal LowCardinality(String),
        alert_id String,
        created_at DateTime64(3, 'UTC'),
        expires_at DateTime64(3, 'UTC'),
        created_by String,
        reason String
      ) ENGINE = ReplacingMergeTree(created_at)
      ORDER BY (agent_id, signal, suppression_id)`,
    ],
  },
  {
    version: 4,
    name: 'baselines say which baseline the agent was scored against',
    statements: [
      // own | peers | warming_up, and the peer group's name while peers; '' in older checkpoints.
      `ALTER TABLE {db}.baselines ADD COLUMN IF NOT EXISTS baseline LowCardinality(String) DEFAULT '' AFTER median_bytes`,
      `ALTER TABLE {db}.baselines ADD COLUMN IF NOT EXISTS peer_group String DEFAULT '' AFTER baseline`,
    ],
  },
];
