import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simulateCommand } from '../../../src/cli/simulate.js';
import { WardenError } from '../../../src/errors.js';

async function usageError(args: string[]): Promise<string> {
  const error = await simulateCommand.run(args).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WardenError);
  expect((error as WardenError).code).toBe('USAGE');
  expect((error as WardenError).message).not.toMatch(/\n/);
  return (error as WardenError).message;
}

describe('warden simulate (command)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses bad options with a one-line usage error naming the option', async () => {
    expect(await usageError(['--agents', 'many', '--out', '/tmp/x'])).toMatch(/--agents/);
    expect(await usageError(['--days', '0', '--out', '/tmp/x'])).toMatch(/--days/);
    expect(await usageError(['--start', 'yesterday', '--out', '/tmp/x'])).toMatch(/--start/);
    expect(await usageError(['--kinds', 'stolen_token,phishing', '--out', '/tmp/x'])).toMatch(/"phishing".*stolen_token/);
    expect(await usageError(['--rate', '-5', '--out', '/tmp/x'])).toMatch(/--rate/);
    expect(await usageError(['--to-kafka', 'localhost', '--out', '/tmp/x'])).toMatch(/host:port/);
    expect(await usageError(['--to-http', 'ftp://x', '--key', 'k'])).toMatch(/http/);
    expect(await usageError(['--seed', '3'])).toMatch(/--out/);
    expect(await usageError(['--bogus', '1'])).toMatch(/bogus/);
    expect(await usageError(['--days', '8', '--kinds', 'zombie_agent', '--out', '/tmp/x'])).toMatch(/zombie_agent.*--days/);
    expect(await usageError(['--days', '5', '--out', '/tmp/x'])).toMatch(/warm-up|warmup/);
    expect(await usageError(['--new-agents', 'some', '--out', '/tmp/x'])).toMatch(/--new-agents/);
    expect(
      await usageError(['--agents', '12', '--days', '9', '--kinds', 'enumeration', '--attacks-per-kind', '4', '--new-agents', '9', '--out', '/tmp/x']),
    ).toMatch(/--new-agents 9: only 8 agents host no attack/);
    expect(await usageError(['--days', '8', '--attacks-per-kind', '0', '--new-agents', '2', '--out', '/tmp/x'])).toMatch(/--days above --warmup-days \+ 2/);
  });

  it('writes the events and labels files and prints a one-line JSON summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-simulate-'));
    const out = join(dir, 'events.ndjson');
    const labels = join(dir, 'labels.ndjson');
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await simulateCommand.run([
      '--seed',
      '4',
      '--agents',
      '12',
      '--days',
      '9',
      '--kinds',
      'enumeration,denial_burst',
      '--attacks-per-kind',
      '2',
      '--out',
      out,
      '--labels',
      labels,
    ]);

    expect(printed).toHaveLength(1);
    const summary = JSON.parse(printed[0]!) as { events: number; agents: number; episodes: Record<string, number>; span: { start: string } };
    expect(summary.agents).toBe(12);
    expect(summary.episodes).toEqual({ enumeration: 2, denial_burst: 2 });
    expect(summary.span.start).toBe('2026-11-01T00:00:00.000Z');
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(summary.events);
    const labelLines = readFileSync(labels, 'utf8').trimEnd().split('\n');
    expect(labelLines).toHaveLength(4);
    const ids = new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id));
    for (const label of labelLines.map((line) => JSON.parse(line) as { event_ids: string[] })) for (const id of label.event_ids) expect(ids.has(id)).toBe(true);
  });
});
