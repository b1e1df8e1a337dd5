// The settings schema (ARCHITECTURE §5): every knob Warden reads, its default and its check.
import { z } from 'zod';
import { DEFAULT_EVENT_LIMITS } from '../events/limits.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const positiveInt = z.coerce.number({ message: 'expected a number' }).int('expected a whole number').positive('expected a positive number');
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a ClickHouse identifier (letters, digits, _)');
const fraction = z.coerce.number({ message: 'expected a number' }).gt(0, 'expected a number in (0, 1]').max(1, 'expected a number in (0, 1]');
const brokerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1, 'expected at least one host:port'));

export const settingsSchema = z.object({
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_TOPIC: z.string().min(1).default('agent.audit'),
  KAFKA_DLQ_TOPIC: z.string().min(1).default('agent.audit.dlq'),
  KAFKA_GROUP_ID: z.string().min(1).default('warden'),
  KAFKA_CLIENT_ID: z.string().min(1).default('warden'),
  /** Short in tests: a consumer that rejoins waits for the old member's session to expire. */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.default(30_000),
  /** Batches of different partitions processed at once; their rows share inserts. */
  KAFKA_PARTITIONS_CONCURRENCY: positiveInt.default(16),
  CLICKHOUSE_URL: z.url({ message: 'expected an http(s) URL such as http://localhost:8123' }).optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: identifier.default('warden'),
  WARDEN_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0, 'expected 0..65535').max(65535, 'expected 0..65535').default(8080),
  WARDEN_POLICY: z.string().optional(),
  /**
   * Learned model: a name under models/, a directory path, or `none`. On by default with the
   * shipped `default`, trained on the simulator's fleet: its findings are calibrated against the
   * fleet Warden watches like every detector's and count half (detect/calibrate.ts), so a model
   * that finds everything unusual on another fleet soon counts for little — but a model trained
   * on your own fleet (`warden train --from-clickhouse`) is the one to trust.
   */
  WARDEN_MODEL: z.string().min(1).default('default'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WARDEN_ADMIN_KEY: z.string().min(16, 'expected at least 16 characters').optional(),
  WARDEN_ALLOW_PRIVATE_WEBHOOKS: flag.default(false),
  /** Risk at or above which an event joins (or opens) an alert. */
  WARDEN_ALERT_THRESHOLD: fraction.default(0.8),
  /** An agent's risky events closer together than this (event time) belong to one alert. */
  WARDEN_ALERT_QUIET_GAP_MS: positiveInt.default(15 * 60_000),
  /** Store batching: an idle writer inserts at once from this many rows, else after this linger. */
  WARDEN_BATCH_MAX_ROWS: positiveInt.default(20_000),
  WARDEN_BATCH_MAX_DELAY_MS: positiveInt.default(20),
  /** Baseline checkpoint and (Kafka) offset commit cadence. */
  WARDEN_CHECKPOINT_INTERVAL_MS: positiveInt.default(5_000),
  WARDEN_MAX_EVENT_BYTES: positiveInt.default(DEFAULT_EVENT_LIMITS.maxEventBytes),
  WARDEN_MAX_STRING_LENGTH: positiveInt.default(DEFAULT_EVENT_LIMITS.maxStringLength),
  WARDEN_MAX_ARRAY_LENGTH: positiveInt.default(DEFAULT_EVENT_LIMITS.maxArrayLength),
  WARDEN_MAX_FUTURE_SKEW_MS: positiveInt.default(DEFAULT_EVENT_LIMITS.maxFutureSkewMs),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingName = keyof Settings;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];
