// HTTP sink: posts NDJSON batches to a Warden's POST /v1/events (ARCHITECTURE §6), as
// `warden ingest` does, and counts what it accepted and rejected.
import { WardenError } from '../../errors.js';
import type { IngestResult } from '../../sources/http-ingest.js';
import type { SimulatedEvent } from '../event-builder.js';
import type { EventSink } from './sink.js';

/** `http://host:port` gets `/v1/events` appended; a URL already ending in it is used as is. */
export function eventsEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/events') ? trimmed : `${trimmed}/v1/events`;
}

export function openHttpSink(options: { url: string; apiKey: string; batchLines?: number }): EventSink {
  const endpoint = eventsEndpoint(options.url);
  const batchLines = options.batchLines ?? 5_000;
  let accepted = 0;
  let rejected = 0;
  const firstRejections: string[] = [];
  return {
    name: 'http',
    async write(events: readonly SimulatedEvent[]) {
      for (let offset = 0; offset < events.length; offset += batchLines) {
        const body = events
          .slice(offset, offset + batchLines)
          .map((event) => event.line)
          .join('\n');
        let response: Response;
        try {
          response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${options.apiKey}` },
            body,
          });
        } catch (error) {
          throw new WardenError('INPUT_UNREADABLE', `cannot reach Warden at ${endpoint}`, { cause: error });
        }
        if (response.status !== 202)
          throw new WardenError('INPUT_UNREADABLE', `Warden answered ${response.status} at ${endpoint}: ${(await response.text()).slice(0, 300)}`);
        const result = (await response.json()) as IngestResult;
        accepted += result.accepted;
        rejected += result.rejected.length;
        for (const item of result.rejected.slice(0, 5 - firstRejections.length)) firstRejections.push(`line ${item.line}: ${item.reason}`);
      }
    },
    async close() {
      return { url: endpoint, accepted, rejected, first_rejections: firstRejections };
    },
  };
}
