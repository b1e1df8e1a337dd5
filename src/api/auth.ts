// Bearer API keys with one role each (ingest < viewer < analyst < admin). Routes state the least
// role they need in `config.role`; routes without one are public (health, docs).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './problem.js';

export const ROLES = ['ingest', 'viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: Role;
  }
  interface FastifyRequest {
    apiKeyRole?: Role;
    /** First 12 hex digits of the key's SHA-256: names the caller in audit records. */
    apiKeyId?: string;
  }
}

export interface ApiKeyRecord {
  keyHash: string;
  role: Role;
}

/** Looks keys up by hash; the store behind it is ClickHouse (`api_keys`). */
export interface ApiKeyLookup {
  roleOf(keyHash: string): Role | undefined;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `wdn_${randomBytes(24).toString('base64url')}`;
}

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

const authPlugin: FastifyPluginAsync<{ keys: ApiKeyLookup }> = async (app, { keys }) => {
  app.addHook('onRequest', async (request, reply) => {
    const needed = request.routeOptions.config.role;
    if (!needed) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return sendProblem(reply.header('www-authenticate', 'Bearer'), 401, 'send Authorization: Bearer <api key>');
    }
    const keyHash = hashApiKey(match[1]);
    const role = keys.roleOf(keyHash);
    if (!role) {
      return sendProblem(reply, 401, 'unknown or revoked API key');
    }
    if (!roleAllows(role, needed)) {
      return sendProblem(reply, 403, `this route needs the ${needed} role; the key has ${role}`);
    }
    request.apiKeyRole = role;
    request.apiKeyId = keyHash.slice(0, 12);
  });
};

export const auth = fp(authPlugin, { name: 'warden-auth' });

/** In-memory key set, loaded from storage at start and updated when keys are created. */
export class ApiKeySet implements ApiKeyLookup {
  private readonly byHash = new Map<string, Role>();

  constructor(records: ApiKeyRecord[]) {
    for (const record of records) this.byHash.set(record.keyHash, record.role);
  }

  /** Keyed by the SHA-256 of the key: a lookup reveals nothing about stored keys' bytes. */
  roleOf(keyHash: string): Role | undefined {
    return this.byHash.get(keyHash);
  }

  add(record: ApiKeyRecord): void {
    this.byHash.set(record.keyHash, record.role);
  }

  hasRole(role: Role): boolean {
    return [...this.byHash.values()].includes(role);
  }
}
