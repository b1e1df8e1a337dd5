// `warden ingest FILE`: sends an NDJSON file through a running Warden's POST /v1/events in
// batches (the embedded store belongs to that process), reporting progress and every rejected
// line with its line number in the file.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/load-settings.js';
import { WardenError } from '../errors.js';
import type { IngestResult } from '../sources/http-ingest.js';
import type { Command } from './main.js';

export const ingestCommand: Command = {
  summary: 'send an NDJSON file of audit events to a running Warden (POST /v1/events)',
  usage: 'warden ingest FILE [--url http://127.0.0.1:8080] [--key API_KEY] [--batch-lines 5000]\n  (key defaults to $WARDEN_API_KEY, then $WARDEN_ADMIN_KEY)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { url: { type: 'string' }, key: { type: 'string' }, 'batch-lines': { type: 'string', default: '5000' } },
    });
    const file = positionals[0];
    if (!file) throw new WardenError('USAGE', 'warden ingest needs a FILE (NDJSON, one audit event per line)');
    if (!existsSync(file)) throw new WardenError('INPUT_UNREADABLE', `no such file: ${file}`);
    const batchLines = Number(values['batch-lines']);
    if (!Number.isInteger(batchLines) || batchLines < 1) throw new WardenError('USAGE', '--batch-lines expects a positive whole number');
    const settings = loadSettings();
    const url = `${values.url ?? `http://${settings.HOST}:${settings.PORT}`}/v1/events`;
    const key = values.key ?? process.env.WARDEN_API_KEY ?? settings.WARDEN_ADMIN_KEY;
    if (!key) throw new WardenError('USAGE', 'no API key: pass --key or set WARDEN_API_KEY');

    let accepted = 0;
    const rejected: IngestResult['rejected'] = [];
    let batch: string[] = [];
    let firstLineOfBatch = 1;
    let linesRead = 0;
    const send = async () => {
      if (batch.length === 0) return;
      const result = await postBatch(url, key, batch.join('\n'));
      accepted += result.accepted;
      for (const item of result.rejected) rejected.push({ ...item, line: item.line + firstLineOfBatch - 1 });
      firstLineOfBatch += batch.length;
      batch = [];
      process.stderr.write(`\r${linesRead} lines sent, ${accepted} accepted, ${rejected.length} rejected`);
    };
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
      linesRead += 1;
      batch.push(line);
      if (batch.length >= batchLines) await send();
    }
    await send();
    process.stderr.write('\n');
    for (const item of rejected.slice(0, 20)) console.error(`line ${item.line}: ${item.reason}`);
    if (rejected.length > 20) console.error(`... and ${rejected.length - 20} more rejected lines`);
    console.log(JSON.stringify({ file, lines: linesRead, accepted, rejected: rejected.length }));
  },
};

async function postBatch(url: string, key: string, body: string): Promise<IngestResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` }, body });
  } catch (error) {
    throw new WardenError('INPUT_UNREADABLE', `cannot reach Warden at ${url} (is 'warden start' running?)`, { cause: error });
  }
  if (response.status !== 202)
    throw new WardenError('INPUT_UNREADABLE', `Warden answered ${response.status} at ${url}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as IngestResult;
}
