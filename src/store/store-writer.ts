// Batches event and alert rows from every source into few large ClickHouse inserts. One insert
// runs at a time, so rows land in the order they were handed over (the Kafka source relies on
// that: the stored offsets of a partition always form a prefix). When idle, a write is flushed
// after a short linger; while an insert runs, new rows gather and go in the next one, so batches
// grow with load instead of adding latency. A failed insert is retried with backoff until it
// succeeds or the writer is closed; callers that wait on it are the back-pressure.
import { createHash } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from 'pino';
import { WardenError, describeError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { ClickHouseHandle } from './clickhouse-connection.js';
import { type AlertRow, EVENT_COLUMNS, type EventRow, eventRowValues } from './rows.js';

export interface StoreWriterOptions {
  /** Rows that start an insert at once instead of lingering. */
  maxRows: number;
  /** How long a lone write waits for company before it is inserted. */
  maxDelayMs: number;
}

export interface StoreHealth {
  healthy: boolean;
  pendingRows: number;
  lastError?: string;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class StoreWriter {
  private events: EventRow[] = [];
  private alerts: AlertRow[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inserting: Promise<void> | undefined;
  private insertingRows = 0;
  private failingSince: number | undefined;
  private lastError: string | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: ClickHouseHandle,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: StoreWriterOptions,
  ) {}

  /** Resolves once the rows are in ClickHouse. */
  write(events: EventRow[], alerts: AlertRow[]): Promise<void> {
    if (this.abort.signal.aborted) return Promise.reject(new WardenError('SHUTTING_DOWN', 'store writer is closed'));
    if (events.length === 0 && alerts.length === 0) return this.flush();
    for (const row of events) this.events.push(row);
    for (const row of alerts) this.alerts.push(row);
    this.metrics.storePendingRows.set(this.backlogRows());
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.inserting) {
      if (this.pendingRows() >= this.options.maxRows) this.launch();
      else this.timer ??= setTimeout(() => this.launch(), this.options.maxDelayMs);
    }
    return done;
  }

  /** Resolves once everything handed over before this call is stored. */
  flush(): Promise<void> {
    if (this.pendingRows() === 0) return this.inserting ?? Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.inserting) this.launch();
    return done;
  }

  /** Rows handed over and not yet stored: what a source checks before taking more. */
  backlogRows(): number {
    return this.pendingRows() + this.insertingRows;
  }

  health(): StoreHealth {
    return { healthy: this.failingSince === undefined, pendingRows: this.backlogRows(), lastError: this.lastError };
  }

  /** Writes what is pending (giving up after `graceMs` of failures), then stops. */
  async close(graceMs = 30_000): Promise<void> {
    const giveUp = setTimeout(() => this.abort.abort(), graceMs);
    try {
      await this.flush();
    } finally {
      clearTimeout(giveUp);
      this.abort.abort();
      if (this.timer) clearTimeout(this.timer);
    }
  }

  private pendingRows(): number {
    return this.events.length + this.alerts.length;
  }

  /** Starts one insert of everything pending; when it ends, the rows gathered meanwhile follow. */
  private launch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inserting || this.pendingRows() === 0) return;
    const events = this.events;
    const alerts = this.alerts;
    const waiters = this.waiters;
    this.events = [];
    this.alerts = [];
    this.waiters = [];
    this.insertingRows = events.length + alerts.length;
    this.inserting = this.insertWithRetry(events, alerts, waiters).finally(() => {
      this.inserting = undefined;
      this.insertingRows = 0;
      if (this.pendingRows() > 0 && !this.abort.signal.aborted) this.launch();
    });
  }

  private async insertWithRetry(events: EventRow[], alerts: AlertRow[], waiters: Waiter[]): Promise<void> {
    // The same token on every attempt lets the server drop an attempt that already landed.
    const token = batchToken(events, alerts);
    const started = performance.now();
    try {
      await pRetry(() => this.insertOnce(events, alerts, token), {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 100,
        maxTimeout: 5_000,
        factor: 2,
        randomize: true,
        signal: this.abort.signal,
        onFailedAttempt: ({ error, attemptNumber }) => {
          this.failingSince ??= Date.now();
          this.lastError = describeError(error);
          this.metrics.storeFailures.inc();
          this.log.warn({ attempt: attemptNumber, rows: events.length + alerts.length, err: this.lastError }, 'ClickHouse write failed; retrying');
        },
      });
    } catch (error) {
      const failure = new WardenError('STORAGE_WRITE_FAILED', `could not store ${events.length} events: ${describeError(error)}`, { cause: error });
      for (const waiter of waiters) waiter.reject(failure);
      return;
    }
    if (this.failingSince !== undefined) this.log.info({ downForMs: Date.now() - this.failingSince }, 'ClickHouse writes recovered');
    this.failingSince = undefined;
    this.lastError = undefined;
    this.metrics.storeFlushSeconds.observe((performance.now() - started) / 1000);
    this.metrics.eventsStored.inc(events.length);
    this.metrics.storePendingRows.set(this.pendingRows());
    for (const waiter of waiters) waiter.resolve();
  }

  private async insertOnce(events: EventRow[], alerts: AlertRow[], token: string): Promise<void> {
    if (this.abort.signal.aborted) throw new AbortError('store writer closed');
    const { client, database } = this.store;
    // Events before alerts: an alert never points at events that are not stored yet.
    if (events.length > 0) {
      await client.insert({
        table: `${database}.events`,
        values: events.map(eventRowValues),
        columns: [...EVENT_COLUMNS],
        format: 'JSONCompactEachRow',
        clickhouse_settings: { insert_deduplication_token: `${token}:e` },
      });
    }
    if (alerts.length > 0) {
      await client.insert({
        table: `${database}.alerts`,
        values: alerts,
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: `${token}:a` },
      });
    }
  }
}

function batchToken(events: EventRow[], alerts: AlertRow[]): string {
  const hash = createHash('sha256');
  for (const row of events) hash.update(row.event_id).update('\0');
  for (const row of alerts) hash.update(row.alert_id).update(String(row.updated_at)).update('\0');
  return hash.digest('base64url').slice(0, 32);
}
