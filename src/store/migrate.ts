// Applies pending migrations at start and for `warden migrate`; safe to run any number of times.
import { WardenError, describeError } from '../errors.js';
import type { ClickHouseHandle } from './clickhouse-connection.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export interface MigrationReport {
  applied: Migration[];
  alreadyApplied: number;
}

export async function migrate(store: ClickHouseHandle, migrations: Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const { client, database } = store;
  const run = async (sql: string, what: string) => {
    try {
      await client.command({ query: sql.replaceAll('{db}', database) });
    } catch (error) {
      throw new WardenError('MIGRATION_FAILED', `${what} failed: ${describeError(error)}`, { cause: error });
    }
  };
  await run('CREATE DATABASE IF NOT EXISTS {db}', `creating database ${database}`);
  await run(
    `CREATE TABLE IF NOT EXISTS {db}.schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = ReplacingMergeTree ORDER BY version`,
    'creating schema_migrations',
  );
  const result = await client.query({ query: `SELECT DISTINCT version FROM ${database}.schema_migrations`, format: 'JSONEachRow' });
  const done = new Set((await result.json<{ version: number }>()).map((row) => Number(row.version)));

  const applied: Migration[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    for (const [index, statement] of migration.statements.entries()) {
      await run(statement, `migration ${migration.version} (${migration.name}) statement ${index + 1}`);
    }
    await client.insert({
      table: `${database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, applied_at: Date.now() }],
      format: 'JSONEachRow',
    });
    applied.push(migration);
  }
  return { applied, alreadyApplied: done.size };
}
