// GET /healthz (the process answers) and GET /readyz (it can take and store events now).
import type { FastifyPluginAsync } from 'fastify';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HealthRoutesOptions {
  readiness: () => Promise<Readiness>;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness }) => {
  app.get('/healthz', { logLevel: 'warn', schema: { summary: 'Liveness', tags: ['health'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn', schema: { summary: 'Readiness: storage writable, Kafka fetching', tags: ['health'] } }, async (_request, reply) => {
    const state = await readiness();
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'not_ready', checks: state.checks });
  });
};
