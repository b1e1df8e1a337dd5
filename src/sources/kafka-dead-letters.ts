// Writes refused Kafka records to the dead-letter topic with their raw bytes, source position and
// a one-line reason (as headers), and keeps track of sends in flight so progress is never
// committed past a record whose dead letter is not yet durable.
import type { Producer } from 'kafkajs';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { WardenError, describeError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { RejectedRecord } from '../pipeline.js';

export const DEAD_LETTER_HEADERS = {
  reason: 'warden-reason',
  reasonCode: 'warden-reason-code',
  sourceTopic: 'warden-source-topic',
  sourcePartition: 'warden-source-partition',
  sourceOffset: 'warden-source-offset',
} as const;

export class KafkaDeadLetters {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {}

  send(rejected: RejectedRecord[]): Promise<void> {
    if (rejected.length === 0) return Promise.resolve();
    const messages = rejected.map((item) => ({
      key: item.record.key ?? null,
      value: item.record.value === null ? null : Buffer.isBuffer(item.record.value) ? item.record.value : Buffer.from(item.record.value),
      headers: {
        [DEAD_LETTER_HEADERS.reason]: item.rejection.reason,
        [DEAD_LETTER_HEADERS.reasonCode]: item.rejection.code,
        [DEAD_LETTER_HEADERS.sourceTopic]: item.record.origin.topic,
        [DEAD_LETTER_HEADERS.sourcePartition]: String(item.record.origin.partition),
        [DEAD_LETTER_HEADERS.sourceOffset]: String(item.record.origin.offset),
      },
    }));
    const sending = pRetry(() => this.producer.send({ topic: this.topic, messages, acks: -1 }), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 200,
      maxTimeout: 5_000,
      signal: this.signal,
      onFailedAttempt: ({ error, attemptNumber }) =>
        this.log.warn({ attempt: attemptNumber, err: describeError(error), topic: this.topic }, 'dead-letter send failed; retrying'),
    }).then(
      () => {
        this.metrics.deadLetters.inc(messages.length);
      },
      (error: unknown) => {
        throw new WardenError('DEAD_LETTER_FAILED', `could not write ${messages.length} dead letters to ${this.topic}`, { cause: error });
      },
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending)).catch(() => undefined);
    return sending;
  }

  /** Resolves once every send started before this call is durable. */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
