// `warden start`: runs the service until SIGTERM/SIGINT, then shuts down gracefully.
import { parseArgs } from 'node:util';
import { startWarden } from '../app.js';
import { loadSettings } from '../config/load-settings.js';
import { describeError } from '../errors.js';
import { createLogger } from './logger.js';
import type { Command } from './main.js';

export const startCommand: Command = {
  summary: 'run Warden: Kafka source when KAFKA_BROKERS is set, HTTP ingest at POST /v1/events, embedded ClickHouse unless CLICKHOUSE_URL is set',
  usage: 'warden start',
  async run(args) {
    parseArgs({ args, options: {}, strict: true });
    const settings = loadSettings();
    const log = createLogger(settings);
    const warden = await startWarden(settings, log, {
      onAdminKeyCreated: (key) => {
        // Printed once, to the terminal: only its hash is stored.
        process.stderr.write(`\nWarden admin API key (shown once, store it now):\n  ${key}\n\n`);
      },
    });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal }, 'signal received');
        warden.close().then(resolve, (error: unknown) => {
          log.error({ err: describeError(error) }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    // Everything Warden owns is flushed and closed here. kafkajs can leave a broker socket open
    // after a consumer restarted across an outage, which would keep the process alive: exit.
    process.exit(process.exitCode ?? 0);
  },
};
