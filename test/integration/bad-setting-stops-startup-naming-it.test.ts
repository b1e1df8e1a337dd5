import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWardenCli } from '../support/warden-process.js';

describe('start-up with a bad setting', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected a port number (got "eighty")'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS: expected host:port'],
    [{ CLICKHOUSE_URL: 'ftp//nowhere' }, 'CLICKHOUSE_URL: expected an http(s) URL'],
    [
      { WARDEN_MODEL: '/nonexistent/model', WARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'warden-model-')) },
      'WARDEN_MODEL: cannot use the model in /nonexistent/model',
    ],
  ])('exits non-zero with one line naming the setting (%o)', async (env, message) => {
    const result = await runWardenCli(['start'], env);
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('rejects an unknown command with usage help', async () => {
    const result = await runWardenCli(['strat'], {});
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('unknown command "strat"');
  });
});
