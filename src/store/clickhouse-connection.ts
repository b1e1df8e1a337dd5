// Opens ClickHouse: a server over HTTP when CLICKHOUSE_URL is set, else the embedded chDB engine in
// WARDEN_DATA_DIR. Everything above this file uses the same @clickhouse/client API either way.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ClickHouseClient, type ClickHouseClientConfigOptions, ClickHouseLogLevel, createClient } from '@clickhouse/client';
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
      // Failures surface as WardenErrors in Warden's own log; the client's copy is noise.
      log: { level: ClickHouseLogLevel.OFF },
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
    return { client, database: settings.CLICKHOUSE_DATABASE, mode: 'server' };
  }
  const dataPath = resolve(settings.WARDEN_DATA_DIR, 'clickhouse');
  mkdirSync(dataPath, { recursive: true });
  return { client: await openEmbeddedClient(dataPath), database: settings.CLICKHOUSE_DATABASE, mode: 'embedded', dataPath };
}

/** A @clickhouse/client whose connection is the chDB engine in `dataPath` (one process at a time). */
export async function openEmbeddedClient(dataPath: string): Promise<ClickHouseClient> {
  let chdb: typeof import('chdb/connection');
  try {
    chdb = await import('chdb/connection');
  } catch (error) {
    throw new WardenError(
      'STORAGE_UNAVAILABLE',
      'CLICKHOUSE_URL is unset and the embedded engine (npm package chdb, an optional dependency) is not installed: install it or point CLICKHOUSE_URL at a server',
      { cause: error },
    );
  }
  return createClient({
    // chdb types its connection against @clickhouse/client-common, which @clickhouse/client
    // now bundles under its own path: the same interface under two names.
    connection: chdb.createChdbConnection({ path: dataPath }) as unknown as ClickHouseClientConfigOptions['connection'],
    clickhouse_settings: { date_time_input_format: 'best_effort' },
    log: { level: ClickHouseLogLevel.OFF },
  });
}
