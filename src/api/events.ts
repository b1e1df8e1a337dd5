// POST /v1/events: NDJSON (or a JSON array) of audit events into the HTTP source.
import type { FastifyPluginAsync } from 'fastify';
import type { HttpIngest } from '../sources/http-ingest.js';

export interface EventsRoutesOptions {
  ingest: HttpIngest;
}

const ingestResponse = {
  type: 'object',
  properties: {
    accepted: { type: 'integer', description: 'events parsed, scored and stored' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: { line: { type: 'integer' }, code: { type: 'string' }, reason: { type: 'string' } },
        required: ['line', 'code', 'reason'],
      },
    },
  },
  required: ['accepted', 'rejected'],
} as const;

export const eventsRoutes: FastifyPluginAsync<EventsRoutesOptions> = async (app, { ingest }) => {
  // Bodies are taken as text: each line is parsed (and refused) on its own by the event parser.
  for (const type of ['application/x-ndjson', 'application/ndjson', 'application/json', 'text/plain']) {
    app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.post(
    '/v1/events',
    {
      config: { role: 'ingest' },
      logLevel: 'warn',
      schema: {
        summary: 'Ingest audit events (NDJSON, one event per line, or a JSON array)',
        tags: ['events'],
        consumes: ['application/x-ndjson', 'application/json'],
        response: { 202: ingestResponse },
      },
    },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const result = await ingest.ingest(body);
      return reply.code(202).send(result);
    },
  );
};
