// Reads and writes API key hashes (the `api_keys` table).
import type { ApiKeyRecord, Role } from '../api/auth.js';
import type { ClickHouseHandle } from './clickhouse-connection.js';

export async function readApiKeys(store: ClickHouseHandle): Promise<ApiKeyRecord[]> {
  const result = await store.client.query({
    query: `SELECT key_hash, argMax(role, created_at) AS role FROM ${store.database}.api_keys GROUP BY key_hash HAVING argMax(revoked, created_at) = 0`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ key_hash: string; role: Role }>();
  return rows.map((row) => ({ keyHash: row.key_hash, role: row.role }));
}

export async function writeApiKey(store: ClickHouseHandle, record: ApiKeyRecord, label: string, nowMs: number): Promise<void> {
  await store.client.insert({
    table: `${store.database}.api_keys`,
    values: [{ key_hash: record.keyHash, role: record.role, label, created_at: nowMs, revoked: 0 }],
    format: 'JSONEachRow',
  });
}
