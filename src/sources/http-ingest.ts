// The HTTP source: a request body of NDJSON lines (or one JSON array) becomes raw records handed
// to an ingest target — processed and stored here (embedded default), or forwarded to the Kafka
// topic so the partition that owns each agent processes it. The caller gets its answer only once
// the accepted events are durable; rejected lines come back with their line and reason.
import type { EventProcessor, RawRecord, RejectedRecord } from '../pipeline.js';
import type { StoreWriter } from '../store/store-writer.js';

export interface IngestResult {
  accepted: number;
  rejected: { line: number; code: string; reason: string }[];
}

export interface IngestTarget {
  /** Resolves once the accepted records are durable (stored, or acknowledged by Kafka). */
  accept(records: RawRecord[]): Promise<{ accepted: number; rejected: RejectedRecord[] }>;
}

export const HTTP_SOURCE = 'http';
const NO_KAFKA_POSITION = { topic: '', partition: -1, offset: -1 };

/** The embedded default: this process owns every agent, so it scores and stores directly. */
export class ProcessAndStore implements IngestTarget {
  constructor(
    private readonly processor: EventProcessor,
    private readonly writer: StoreWriter,
  ) {}

  async accept(records: RawRecord[]) {
    const processed = this.processor.process(records, { source: HTTP_SOURCE });
    await this.writer.write(processed.eventRows, processed.alertRows);
    return { accepted: processed.acceptedCount, rejected: processed.rejected };
  }
}

export class HttpIngest {
  constructor(private readonly target: IngestTarget) {}

  async ingest(body: string): Promise<IngestResult> {
    const { accepted, rejected } = await this.target.accept(splitBody(body));
    return {
      accepted,
      rejected: rejected.map(({ record, rejection }) => ({ line: Number(record.position), code: rejection.code, reason: rejection.reason })),
    };
  }
}

/**
 * NDJSON: one event per non-blank line, numbered from 1. A body that is one JSON array holds one
 * event per element, numbered by element; if the array itself is broken it is one rejected line.
 */
export function splitBody(body: string): RawRecord[] {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(trimmed);
    } catch {
      return [{ value: trimmed, origin: NO_KAFKA_POSITION, position: '1' }];
    }
    if (Array.isArray(items))
      return items.map((item, index) => ({ value: JSON.stringify(item) ?? 'undefined', origin: NO_KAFKA_POSITION, position: String(index + 1) }));
  }
  const records: RawRecord[] = [];
  let lineNumber = 0;
  for (const line of body.split('\n')) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    records.push({ value: line, origin: NO_KAFKA_POSITION, position: String(lineNumber) });
  }
  return records;
}
