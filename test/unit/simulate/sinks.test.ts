import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SIMULATION_DEFAULTS, createSimulation, runSimulation } from '../../../src/simulate/simulate.js';
import type { SimulatedEvent } from '../../../src/simulate/event-builder.js';
import { eventsEndpoint, openHttpSink } from '../../../src/simulate/sinks/http.js';
import type { EventSink } from '../../../src/simulate/sinks/sink.js';

const TINY = { ...SIMULATION_DEFAULTS, seed: 3, agents: 10, days: 8, kinds: ['runaway_loop' as const], attacksPerKind: 1 };

function memorySink(): EventSink & { events: SimulatedEvent[]; chunkSizes: number[] } {
  const events: SimulatedEvent[] = [];
  const chunkSizes: number[] = [];
  return {
    name: 'memory',
    events,
    chunkSizes,
    async write(chunk) {
      events.push(...chunk);
      chunkSizes.push(chunk.length);
    },
    async close() {
      return { received: events.length };
    },
  };
}

describe('simulation sinks and pacing', () => {
  it('posts NDJSON batches to /v1/events with the API key and counts what Warden accepted', async () => {
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        expect(request.url).toBe('/v1/events');
        expect(request.headers.authorization).toBe('Bearer ingest-key');
        expect(request.headers['content-type']).toBe('application/x-ndjson');
        bodies.push(body);
        const lines = body.split('\n').length;
        response
          .writeHead(202, { 'content-type': 'application/json' })
          .end(JSON.stringify({ accepted: lines - 1, rejected: [{ line: 1, code: 'invalid_field', reason: 'test refusal' }] }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const sink = openHttpSink({ url, apiKey: 'ingest-key', batchLines: 1_000 });
      const summary = await runSimulation(createSimulation(TINY), { sinks: [sink] });
      const posted = bodies.reduce((sum, body) => sum + body.split('\n').length, 0);
      expect(posted).toBe(summary.events);
      expect(summary.sinks.http).toMatchObject({ accepted: summary.events - bodies.length, rejected: bodies.length });
    } finally {
      server.close();
    }
    expect(eventsEndpoint('http://h:8080/')).toBe('http://h:8080/v1/events');
    expect(eventsEndpoint('http://h:8080/v1/events')).toBe('http://h:8080/v1/events');
  });

  it('paces a rated stream by the injected clock, in time order, without changing the events', async () => {
    let nowMs = 0;
    let sleptMs = 0;
    const clock = { nowMs: () => nowMs, sleep: async (ms: number) => void ((nowMs += ms), (sleptMs += ms)) };
    const paced = memorySink();
    const summary = await runSimulation(createSimulation(TINY), { sinks: [paced], ratePerSecond: 5_000, clock });
    // Each chunk (at most rate / 20 events) goes out when the events before it are due: the last one at (all but it) / rate.
    expect(Math.max(...paced.chunkSizes)).toBeLessThanOrEqual(250);
    expect(sleptMs).toBeCloseTo(((summary.events - paced.chunkSizes[paced.chunkSizes.length - 1]!) / 5_000) * 1_000, 3);
    const free = memorySink();
    await runSimulation(createSimulation(TINY), { sinks: [free] });
    expect(paced.events.map((event) => event.line)).toEqual(free.events.map((event) => event.line));
    expect(paced.events.every((event, index) => index === 0 || event.timeMs >= paced.events[index - 1]!.timeMs)).toBe(true);
  });
});
