// How tests look at what Warden stored: a @clickhouse/client against a ClickHouse URL (the shared
// chDB HTTP server) or an embedded chDB directory once Warden has released it.
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { openEmbeddedClient } from '../../src/store/clickhouse-connection.js';

export function clickHouseAt(url: string): ClickHouseClient {
  return createClient({ url, compression: { request: false, response: false } });
}

/** Warden's embedded store under WARDEN_DATA_DIR, opened the way Warden opens it. */
export function embeddedClickHouse(dataDir: string): Promise<ClickHouseClient> {
  return openEmbeddedClient(`${dataDir}/clickhouse`);
}

export async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

export async function scalar(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<number> {
  const [row] = await rows<Record<string, unknown>>(client, query, params);
  return Number(Object.values(row ?? {})[0]);
}

/** Polls until `read` returns `expected` (or the deadline passes, returning the last value). */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}
