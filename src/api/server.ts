// Builds the fastify app: OpenAPI, auth, and one plugin per resource. No listening here, so
// tests use app.inject() without a port.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SuppressionList } from '../respond/suppressions.js';
import type { HttpIngest } from '../sources/http-ingest.js';
import type { ClickHouseHandle } from '../store/clickhouse-connection.js';
import { type ApiKeyLookup, auth } from './auth.js';
import { agentsRoutes } from './agents.js';
import { alertsRoutes } from './alerts.js';
import { eventsRoutes } from './events.js';
import { type Readiness, healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';

export interface ApiDeps {
  log: Logger;
  keys: ApiKeyLookup;
  ingest: HttpIngest;
  readiness: () => Promise<Readiness>;
  metricsRegistry: Registry;
  store: ClickHouseHandle;
  suppressions: SuppressionList;
  version: string;
  /** Largest request body; an NDJSON batch of this size is refused with 413. */
  bodyLimitBytes?: number;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: deps.bodyLimitBytes ?? 32 * 1024 * 1024 });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Warden API', version: deps.version, description: 'Behavioural monitoring of AI agents: ingest audit events, read alerts and baselines.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(auth, { keys: deps.keys });
  await app.register(healthRoutes, { readiness: deps.readiness });
  await app.register(metricsRoutes, { registry: deps.metricsRegistry });
  await app.register(eventsRoutes, { ingest: deps.ingest });
  await app.register(alertsRoutes, { store: deps.store, suppressions: deps.suppressions });
  await app.register(agentsRoutes, { store: deps.store });
  return app;
}
