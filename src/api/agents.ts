// Agents: what Warden has learned about each one, from its newest baseline checkpoint.
import type { FastifyPluginAsync } from 'fastify';
import { getAgent, listAgents } from '../store/agents-table.js';
import type { ClickHouseHandle } from '../store/clickhouse-connection.js';
import { problemSchema, sendProblem } from './problem.js';

export interface AgentsRoutesOptions {
  store: ClickHouseHandle;
}

const agentSchema = {
  type: 'object',
  properties: {
    agent_id: { type: 'string' },
    updated_at: { type: 'string', description: 'when the baseline was last checkpointed (UTC)' },
    last_event_at: { type: 'string', description: 'event time of the newest event learned (UTC)' },
    events_seen: { type: 'integer' },
    events_learned: { type: 'integer', description: 'events that entered the baseline (flagged ones do not)' },
    distinct_actions: { type: 'integer' },
    usual_events_per_minute: { type: 'number' },
    failure_rate: { type: 'number' },
    median_bytes: { type: 'number' },
    baseline: {
      type: ['string', 'null'],
      enum: ['own', 'peers', 'warming_up', null],
      description:
        'the baseline the agent was scored against at its last checkpoint: own (mature: 1,000 learned events over a week); ' +
        'peers (warming up: a blend of peer_group and its own, moving to its own as evidence grows); ' +
        'warming_up (no peer group has 3 mature agents yet: its own young baseline); null in checkpoints written before Warden recorded it',
    },
    peer_group: {
      type: ['string', 'null'],
      description: 'whose baseline is blended in while baseline is peers: "peers of type …", "peers owned by …" or "the fleet"',
    },
  },
} as const;

export const agentsRoutes: FastifyPluginAsync<AgentsRoutesOptions> = async (app, { store }) => {
  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/v1/agents',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'List agents with a baseline, by agent id',
        tags: ['agents'],
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, cursor: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: agentSchema }, next_cursor: { type: ['string', 'null'] } } } },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
      const items = await listAgents(store, after, limit);
      const last = items.at(-1);
      return { items, next_cursor: items.length === limit && last ? Buffer.from(last.agent_id).toString('base64url') : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/agents/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "One agent's baseline summary",
        tags: ['agents'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: agentSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const agent = await getAgent(store, request.params.id);
      if (!agent) return sendProblem(reply, 404, `no baseline for agent ${request.params.id}`);
      return agent;
    },
  );
};
