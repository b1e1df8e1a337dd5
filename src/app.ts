// Builds and runs one Warden process: storage, the processing pipeline, the source (Kafka when
// KAFKA_BROKERS is set, else HTTP ingest only), the API; and closes them in reverse order.
// Lifecycle per component: build (config checked) → health → run → close.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ApiKeySet, generateApiKey, hashApiKey } from './api/auth.js';
import type { Readiness } from './api/health.js';
import { buildApi } from './api/server.js';
import type { Settings } from './config/settings.js';
import { DEFAULT_SCORING_OPTIONS } from './detect/score-event.js';
import { describeError } from './errors.js';
import { buildAuditEventSchema } from './events/audit-event.js';
import type { EventLimits } from './events/limits.js';
import { EventParser } from './events/parse-event.js';
import { createMetrics } from './metrics.js';
import { loadNamedModel, modelDirectory } from './learn/load-named-model.js';
import { type BatchModel, EventProcessor } from './pipeline.js';
import { AgentRegistry } from './profile/agent-registry.js';
import { HTTP_SOURCE, HttpIngest, ProcessAndStore } from './sources/http-ingest.js';
import { KafkaSource } from './sources/kafka.js';
import { readApiKeys, writeApiKey } from './store/api-keys-table.js';
import { BaselineCheckpointer } from './store/baseline-checkpointer.js';
import { type ClickHouseHandle, openClickHouse } from './store/clickhouse-connection.js';
import { migrate } from './store/migrate.js';
import { readSuppressions } from './store/feedback-table.js';
import { SuppressionList } from './respond/suppressions.js';
import { StoreWriter } from './store/store-writer.js';

const SUPPRESSION_REFRESH_MS = 10_000;
const PEER_REFRESH_MS = 60_000;

export interface RunningWarden {
  api: FastifyInstance;
  /** Base URL the API listens on. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Called once with a newly generated admin key (first start without WARDEN_ADMIN_KEY). */
  onAdminKeyCreated?: (key: string) => void;
}

export function eventLimitsFrom(settings: Settings): EventLimits {
  return {
    maxEventBytes: settings.WARDEN_MAX_EVENT_BYTES,
    maxStringLength: settings.WARDEN_MAX_STRING_LENGTH,
    maxArrayLength: settings.WARDEN_MAX_ARRAY_LENGTH,
    maxFutureSkewMs: settings.WARDEN_MAX_FUTURE_SKEW_MS,
  };
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function startWarden(settings: Settings, log: Logger, options: StartOptions = {}): Promise<RunningWarden> {
  // Before anything is created: a bad WARDEN_MODEL is a configuration error.
  const model = await loadModel(settings, log);
  const store = await openClickHouse(settings);
  const migration = await migrate(store);
  log.info(
    { mode: store.mode, database: store.database, dataPath: store.dataPath, migrationsApplied: migration.applied.map((m) => m.version) },
    'storage ready',
  );
  const keys = await loadApiKeys(store, settings, options);

  const metrics = createMetrics();
  const limits = eventLimitsFrom(settings);
  const parser = new EventParser(buildAuditEventSchema(limits), limits);
  const useKafka = settings.KAFKA_BROKERS !== undefined;
  const agents = new AgentRegistry(useKafka ? `kafka:${settings.KAFKA_TOPIC}` : HTTP_SOURCE);
  const writer = new StoreWriter(store, metrics, log, { maxRows: settings.WARDEN_BATCH_MAX_ROWS, maxDelayMs: settings.WARDEN_BATCH_MAX_DELAY_MS });
  const checkpointer = new BaselineCheckpointer(store, writer, agents, metrics);
  const suppressions = new SuppressionList();
  suppressions.replace(await readSuppressions(store));
  // Other processes record feedback too: pick up their suppressions.
  const suppressionRefresh = setInterval(() => {
    readSuppressions(store).then(
      (current) => suppressions.replace(current),
      (error: unknown) => log.warn({ err: describeError(error) }, 'could not refresh suppressions; keeping the current list'),
    );
  }, SUPPRESSION_REFRESH_MS);
  const processor = new EventProcessor(parser, agents, metrics, {
    model,
    suppressions,
    scoring: DEFAULT_SCORING_OPTIONS,
    alerts: { riskThreshold: settings.WARDEN_ALERT_THRESHOLD, quietGapMs: settings.WARDEN_ALERT_QUIET_GAP_MS, maxEventIdsPerAlert: 100, maxReasonsPerAlert: 8 },
  });

  // Warming-up agents borrow their peers' baseline; refreshed from the agents held here.
  const peerRefresh = setInterval(() => processor.refreshPeers(), PEER_REFRESH_MS);
  const kafka = useKafka ? new KafkaSource({ settings, processor, agents, writer, checkpointer, store, metrics, log }) : undefined;
  let httpCheckpoints: NodeJS.Timeout | undefined;
  if (!kafka) {
    const restored = await checkpointer.restore();
    log.info({ restoredAgents: restored }, 'baselines restored');
    httpCheckpoints = setInterval(() => {
      checkpointer.checkpoint().catch((error: unknown) => log.warn({ err: describeError(error) }, 'baseline checkpoint failed; will retry'));
    }, settings.WARDEN_CHECKPOINT_INTERVAL_MS);
  }

  const readiness = async (): Promise<Readiness> => {
    const storeHealth = writer.health();
    const ping = await store.client.ping().catch((error: unknown) => ({ success: false as const, error: error as Error }));
    const checks: Readiness['checks'] = {
      storage: { ok: storeHealth.healthy && ping.success, detail: storeHealth.lastError ?? (ping.success ? undefined : describeError(ping.error)) },
    };
    if (kafka) {
      const kafkaHealth = kafka.health();
      checks.kafka = {
        ok: kafkaHealth.connected && !kafkaHealth.pausedForStorage,
        detail: kafkaHealth.pausedForStorage ? 'paused while storage fails' : kafkaHealth.lastError,
      };
    }
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };

  // Kafka first: with Kafka as the source, HTTP ingest forwards onto the topic.
  await kafka?.start();
  const ingest = new HttpIngest(kafka ? kafka.forwardingTarget(parser) : new ProcessAndStore(processor, writer));
  const api = await buildApi({ log, keys, ingest, readiness, metricsRegistry: metrics.registry, store, suppressions, version: packageVersion() });
  const url = await api.listen({ host: settings.HOST, port: settings.PORT });
  log.info({ url }, 'API listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down');
      await api.close();
      clearInterval(suppressionRefresh);
      clearInterval(peerRefresh);
      if (httpCheckpoints) clearInterval(httpCheckpoints);
      if (kafka) await kafka.close();
      else await checkpointer.checkpoint().catch((error: unknown) => log.error({ err: describeError(error) }, 'final checkpoint failed'));
      await writer.close();
      await store.client.close();
      log.info('stopped');
    })());
  return { api, url, close };
}

/** The learned model named by WARDEN_MODEL; TensorFlow.js is only loaded when one is used. */
async function loadModel(settings: Settings, log: Logger): Promise<BatchModel | undefined> {
  if (settings.WARDEN_MODEL === 'none') return undefined;
  const scorer = await loadNamedModel(settings.WARDEN_MODEL, 'WARDEN_MODEL', ' (set WARDEN_MODEL=none to run without one)', (message) => log.info(message));
  log.info({ model: modelDirectory(settings.WARDEN_MODEL), backend: scorer.backend, features: scorer.width }, 'learned model loaded');
  return scorer;
}

async function loadApiKeys(store: ClickHouseHandle, settings: Settings, options: StartOptions): Promise<ApiKeySet> {
  const keys = new ApiKeySet(await readApiKeys(store));
  if (settings.WARDEN_ADMIN_KEY) {
    const keyHash = hashApiKey(settings.WARDEN_ADMIN_KEY);
    if (keys.roleOf(keyHash) !== 'admin') {
      await writeApiKey(store, { keyHash, role: 'admin' }, 'WARDEN_ADMIN_KEY', Date.now());
      keys.add({ keyHash, role: 'admin' });
    }
  } else if (!keys.hasRole('admin')) {
    const key = generateApiKey();
    await writeApiKey(store, { keyHash: hashApiKey(key), role: 'admin' }, 'generated at first start', Date.now());
    keys.add({ keyHash: hashApiKey(key), role: 'admin' });
    options.onAdminKeyCreated?.(key);
  }
  return keys;
}
