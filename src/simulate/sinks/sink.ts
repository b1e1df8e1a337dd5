// Where simulated events go: a file, a Kafka topic, a Warden's HTTP ingest. Each sink takes
// time-ordered chunks and, when closed, reports what it delivered.
import type { SimulatedEvent } from '../event-builder.js';

export interface EventSink {
  /** Names the sink in the summary (`file`, `kafka`, `http`). */
  readonly name: string;
  write(events: readonly SimulatedEvent[]): Promise<void>;
  /** Flushes and releases the destination; returns its delivery counts. */
  close(): Promise<Record<string, unknown>>;
}
