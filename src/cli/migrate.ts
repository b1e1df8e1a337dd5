// `warden migrate`: applies pending schema migrations and reports what it did.
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/load-settings.js';
import { openClickHouse } from '../store/clickhouse-connection.js';
import { migrate } from '../store/migrate.js';
import type { Command } from './main.js';

export const migrateCommand: Command = {
  summary: 'apply pending ClickHouse schema migrations (also done at every start)',
  usage: 'warden migrate',
  async run(args) {
    parseArgs({ args, options: {}, strict: true });
    const store = await openClickHouse(loadSettings());
    try {
      const report = await migrate(store);
      const applied = report.applied.map((m) => `${m.version} (${m.name})`).join(', ');
      console.log(report.applied.length ? `applied migrations: ${applied}` : `schema up to date (${report.alreadyApplied} migrations applied earlier)`);
    } finally {
      await store.client.close();
    }
  },
};
