// Opens ClickHouse: a server over HTTP when CLICKHOUSE_URL is set, else the embedded chDB engine in
// WARDEN_DATA_DIR. Everything above this file uses the same @clickhouse/client API either way.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { Settings } from '../config/settings.js';
import { WardenError } from '../errors.js';

export interface ClickHouseHandle {
  client: ClickHouseClient;
  database: string;
  /** `server` (CLICKHOUSE_URL) or `embedded` (chDB in the data directory). */
  mode: 'server' | 'embedded';
  /** Where the embedded engine keeps its data; undefined for a server. */
  dataPath?: string;
}

export async function openClickHouse(settings: Settings): Promise<ClickHouseHandle> {
  if (settings.CLICKHOUSE_URL) {
    const client = createClient({
      url: settings.CLICKHOUSE_URL,
      username: settings.CLICKHOUSE_USER,
      password: settings.CLICKHOUSE_PASSWORD,
      request_timeout: 30_000,
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
    return { client, database: settings.CLICKHOUSE_DATABASE, mode: 'server' };
  }
  const dataPath = resolve(settings.WARDEN_DATA_DIR, 'clickhouse');
  mkdirSync(dataPath, { recursive: true });
  let createChdbConnection: (options: { path: string }) => unknown;
  try {
    ({ createChdbConnection } = await import('chdb/connection'));
  } catch (error) {
    throw new WardenError(
      'STORAGE_UNAVAILABLE',
      'CLICKHOUSE_URL is unset and the embedded engine (npm package chdb, an optional dependency) is not installed: install it or point CLICKHOUSE_URL at a server',
      { cause: error },
    );
  }
  const client = createClient({
    connection: createChdbConnection({ path: dataPath }) as Parameters<typeof createClient>[0] extends infer C ? C extends { connection?: infer K } ? K : never : never,
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
  return { client, database: settings.CLICKHOUSE_DATABASE, mode: 'embedded', dataPath };
}

/** Where embedded-mode keys and other local state live, beside the ClickHouse data. */
export function dataFile(settings: Settings, name: string): string {
  return join(resolve(settings.WARDEN_DATA_DIR), name);
}
