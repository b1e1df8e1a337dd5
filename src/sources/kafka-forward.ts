// HTTP ingest when Kafka is the source: valid events are produced to the audit topic keyed by
// agent id, so the consumer that owns the agent's partition scores them like any other event;
// invalid ones are refused to the HTTP caller right away (they never reach the topic).
import type { Producer } from 'kafkajs';
import type { EventParser } from '../events/parse-event.js';
import type { RawRecord, RejectedRecord } from '../pipeline.js';
import type { IngestTarget } from './http-ingest.js';

export class ForwardToKafka implements IngestTarget {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly parser: EventParser,
    private readonly clock: () => number = Date.now,
  ) {}

  async accept(records: RawRecord[]) {
    const nowMs = this.clock();
    const rejected: RejectedRecord[] = [];
    const messages: { key: string; value: string | Buffer }[] = [];
    for (const record of records) {
      if (record.value === null) continue;
      const parsed = this.parser.parse(record.value, nowMs);
      if (parsed.ok) messages.push({ key: parsed.event.agent.id, value: record.value });
      else rejected.push({ record, rejection: parsed.rejection });
    }
    if (messages.length > 0) await this.producer.send({ topic: this.topic, messages, acks: -1 });
    return { accepted: messages.length, rejected };
  }
}
