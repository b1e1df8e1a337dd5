// The HTTP source: a request body of NDJSON lines (or one JSON array) becomes raw records that go
// through the same processor as Kafka batches. The caller gets its answer only once the accepted
// events are stored, so a 202 means durable; rejected lines come back with their line and reason.
import type { EventProcessor, RawRecord } from '../pipeline.js';
import type { StoreWriter } from '../store/store-writer.js';

export interface IngestResult {
  accepted: number;
  rejected: { line: number; code: string; reason: string }[];
}

export const HTTP_SOURCE = 'http';
const NO_KAFKA_POSITION = { topic: '', partition: -1, offset: -1 };

export class HttpIngest {
  constructor(
    private readonly processor: EventProcessor,
    private readonly writer: StoreWriter,
  ) {}

  async ingest(body: string): Promise<IngestResult> {
    const processed = this.processor.process(splitBody(body), { source: HTTP_SOURCE });
    await this.writer.write(processed.eventRows, processed.alertRows);
    return {
      accepted: processed.acceptedCount,
      rejected: processed.rejected.map(({ record, rejection }) => ({ line: Number(record.position), code: rejection.code, reason: rejection.reason })),
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
    if (Array.isArray(items)) return items.map((item, index) => ({ value: JSON.stringify(item) ?? 'undefined', origin: NO_KAFKA_POSITION, position: String(index + 1) }));
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
