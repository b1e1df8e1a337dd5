// Alerts: list and read them, and take an analyst's verdict. A false positive mutes the signals
// behind the alert for that agent (a scoped suppression, recorded with who and when).
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { SuppressionList } from '../respond/suppressions.js';
import { getAlert, listAlerts } from '../store/alerts-table.js';
import type { ClickHouseHandle } from '../store/clickhouse-connection.js';
import { type SuppressionRow, writeFeedback } from '../store/feedback-table.js';
import type { Severity } from '../store/rows.js';
import { problemSchema, sendProblem } from './problem.js';

export interface AlertsRoutesOptions {
  store: ClickHouseHandle;
  suppressions: SuppressionList;
  clock?: () => number;
}

const alertSchema = {
  type: 'object',
  properties: {
    alert_id: { type: 'string' },
    agent_id: { type: 'string' },
    opened_at: { type: 'string', description: 'event time of the first risky event (UTC)' },
    updated_at: { type: 'string', description: 'event time of the latest risky event (UTC)' },
    risk: { type: 'number' },
    severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
    reasons: { type: 'array', items: { type: 'string' } },
    signals: { type: 'array', items: { type: 'string' } },
    event_ids: { type: 'array', items: { type: 'string' } },
    event_count: { type: 'integer' },
    decision: { type: 'string' },
    status: { type: 'string' },
  },
} as const;

const DAY_MS = 86_400_000;

interface Cursor {
  updatedAt: string;
  alertId: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    return typeof value.updatedAt === 'string' && typeof value.alertId === 'string' ? { updatedAt: value.updatedAt, alertId: value.alertId } : undefined;
  } catch {
    return undefined;
  }
}

export const alertsRoutes: FastifyPluginAsync<AlertsRoutesOptions> = async (app, { store, suppressions, clock = Date.now }) => {
  app.get<{ Querystring: { agent_id?: string; min_severity?: Severity; limit: number; cursor?: string } }>(
    '/v1/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'List alerts, newest first',
        tags: ['alerts'],
        querystring: {
          type: 'object',
          properties: {
            agent_id: { type: 'string' },
            min_severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            cursor: { type: 'string' },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: alertSchema }, next_cursor: { type: ['string', 'null'] } } },
          400: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { agent_id: agentId, min_severity: minSeverity, limit, cursor } = request.query;
      const before = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && !before) {
        return sendProblem(reply, 400, 'cursor is not one this API issued');
      }
      const items = await listAlerts(store, { agentId, minSeverity, before, limit });
      const last = items.at(-1);
      return { items, next_cursor: items.length === limit && last ? encodeCursor({ updatedAt: last.updated_at, alertId: last.alert_id }) : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/alerts/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One alert',
        tags: ['alerts'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: alertSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const alert = await getAlert(store, request.params.id);
      if (!alert) return sendProblem(reply, 404, `no alert ${request.params.id}`);
      return alert;
    },
  );

  app.post<{ Params: { id: string }; Body: { verdict: 'false_positive' | 'true_positive'; comment: string; suppress_days: number } }>(
    '/v1/alerts/:id/feedback',
    {
      config: { role: 'analyst' },
      schema: {
        summary: "Record an analyst's verdict; a false positive mutes the alert's signals for that agent",
        tags: ['alerts'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['verdict'],
          properties: {
            verdict: { type: 'string', enum: ['false_positive', 'true_positive'] },
            comment: { type: 'string', maxLength: 2000, default: '' },
            suppress_days: {
              type: 'integer',
              minimum: 0,
              maximum: 365,
              default: 30,
              description: 'false positives only; 0 records the verdict without muting',
            },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              feedback_id: { type: 'string' },
              suppressions: { type: 'array', items: { type: 'object', properties: { signal: { type: 'string' }, expires_at: { type: 'string' } } } },
            },
          },
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const alert = await getAlert(store, request.params.id);
      if (!alert) return sendProblem(reply, 404, `no alert ${request.params.id}`);
      const { verdict, comment, suppress_days: suppressDays } = request.body;
      const nowMs = clock();
      const actor = `api-key:${request.apiKeyId ?? 'unknown'}`;
      // Muted from the alert's own (event) time forward, so the rest of the same burst counts too.
      const alertTimeMs = Date.parse(`${alert.updated_at.replace(' ', 'T')}Z`);
      const expiresAtMs = alertTimeMs + suppressDays * DAY_MS;
      const muted: SuppressionRow[] =
        verdict === 'false_positive' && suppressDays > 0
          ? alert.signals.map((signal) => ({
              suppression_id: randomUUID(),
              agent_id: alert.agent_id,
              signal,
              alert_id: alert.alert_id,
              created_at: nowMs,
              expires_at: expiresAtMs,
              created_by: actor,
              reason: comment || 'false positive',
            }))
          : [];
      const feedbackId = randomUUID();
      await writeFeedback(store, { feedback_id: feedbackId, alert_id: alert.alert_id, agent_id: alert.agent_id, verdict, comment, actor, time: nowMs }, muted);
      for (const row of muted) suppressions.add({ agentId: row.agent_id, signal: row.signal, expiresAtMs: row.expires_at });
      return reply
        .code(201)
        .send({ feedback_id: feedbackId, suppressions: muted.map((row) => ({ signal: row.signal, expires_at: new Date(row.expires_at).toISOString() })) });
    },
  );
};
