import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempChdbDir, tempChdbDir } from '../support/clickhouse-server-fixture.js';
import { embeddedClickHouse, rows } from '../support/clickhouse-queries.js';
import { runWardenCli } from '../support/warden-process.js';

describe('warden migrate', () => {
  let dataDir: TempChdbDir;
  beforeAll(async () => {
    dataDir = await tempChdbDir();
  });
  afterAll(async () => {
    await dataDir?.remove();
  });

  it('applies the numbered migrations once and reports an up-to-date schema after', async () => {
    const first = await runWardenCli(['migrate'], { WARDEN_DATA_DIR: dataDir.path });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied migrations: 1 \(.+\), 2 \(api_keys\), 3 \(.+\), 4 \(.+\)/);
    const second = await runWardenCli(['migrate'], { WARDEN_DATA_DIR: dataDir.path });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('schema up to date (4 migrations applied earlier)');

    const client = await embeddedClickHouse(dataDir.path);
    try {
      const tables = await rows<{ name: string }>(client, "SELECT name FROM system.tables WHERE database = 'warden' ORDER BY name");
      expect(tables.map((t) => t.name)).toEqual([
        'agent_activity_1m',
        'agent_activity_1m_mv',
        'alerts',
        'api_keys',
        'baselines',
        'events',
        'feedback',
        'schema_migrations',
        'suppressions',
      ]);
      const applied = await rows<{ version: number }>(client, 'SELECT version FROM warden.schema_migrations ORDER BY version');
      expect(applied.map((m) => Number(m.version))).toEqual([1, 2, 3, 4]);
      const baselineColumns = await rows<{ name: string }>(
        client,
        "SELECT name FROM system.columns WHERE database = 'warden' AND table = 'baselines' AND name IN ('baseline', 'peer_group') ORDER BY name",
      );
      expect(baselineColumns.map((c) => c.name)).toEqual(['baseline', 'peer_group']);
    } finally {
      await client.close();
    }
  });
});
