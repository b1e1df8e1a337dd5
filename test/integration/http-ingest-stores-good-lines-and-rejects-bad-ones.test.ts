// The embedded default: `warden start` with no Kafka and no CLICKHOUSE_URL serves POST /v1/events
// and stores into chDB under WARDEN_DATA_DIR.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempChdbDir, tempChdbDir } from '../support/clickhouse-server-fixture.js';
import { embeddedClickHouse, rows, scalar } from '../support/clickhouse-queries.js';
import { auditEvent, malformedRecords } from '../support/events.js';
import { TEST_ADMIN_KEY, type WardenProcess, runWardenCli, startWardenProcess } from '../support/warden-process.js';

describe('HTTP ingest on the embedded default', () => {
  let dataDir: TempChdbDir;
  let warden: WardenProcess;
  const now = Date.now();
  const good = Array.from({ length: 40 }, (_, i) => auditEvent({ id: `http-${i}`, timeMs: now - 60_000 + i * 1000, agentId: 'agent-http' }));
  const bad = malformedRecords(8, new Date(now).toISOString());

  beforeAll(async () => {
    dataDir = await tempChdbDir();
    warden = await startWardenProcess({ WARDEN_DATA_DIR: dataDir.path });
  });

  afterAll(async () => {
    await warden?.stop();
    await dataDir?.remove();
  });

  it('answers /healthz and /readyz without a key', async () => {
    expect((await fetch(`${warden.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${warden.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { storage: { ok: true } } });
  });

  it('refuses ingest without an API key', async () => {
    const response = await fetch(`${warden.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}' });
    expect(response.status).toBe(401);
  });

  it('accepts the good lines and lists each bad line with its reason', async () => {
    const lines = [...good.slice(0, 20).map((e) => JSON.stringify(e)), ...bad.map((b) => b.value), ...good.slice(20).map((e) => JSON.stringify(e))];
    const response = await fetch(`${warden.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: lines.join('\n'),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { accepted: number; rejected: { line: number; code: string; reason: string }[] };
    expect(body.accepted).toBe(40);
    expect(body.rejected.map((r) => r.line)).toEqual([21, 22, 23, 24, 25, 26, 27, 28]);
    expect(body.rejected.map((r) => r.code)).toEqual(bad.map((b) => b.code));
  });

  it('accepts a JSON array body', async () => {
    const response = await fetch(`${warden.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: JSON.stringify([auditEvent({ id: 'array-1', timeMs: now, agentId: 'agent-array' })]),
    });
    expect(await response.json()).toEqual({ accepted: 1, rejected: [] });
  });

  it('sends an NDJSON file with `warden ingest`, reporting rejected lines by file line number', async () => {
    const file = join(dataDir.path, 'events.ndjson');
    const fileEvents = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify(auditEvent({ id: `file-${i}`, timeMs: now - 30_000 + i * 1000, agentId: 'agent-file' })),
    );
    fileEvents.splice(7, 0, '{"not":"an event"}');
    writeFileSync(file, `${fileEvents.join('\n')}\n`);
    const result = await runWardenCli(['ingest', file, '--url', warden.url, '--key', TEST_ADMIN_KEY, '--batch-lines', '5'], {});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ file, lines: 13, accepted: 12, rejected: 1 });
    expect(result.stderr).toContain('line 8: required field id is missing');
  });

  it('counts accepted and rejected events in /metrics', async () => {
    const response = await fetch(`${warden.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    const text = await response.text();
    expect(text).toMatch(/warden_events_accepted_total\{source="http"\} 53/);
    expect(text).toMatch(/warden_events_rejected_total\{source="http",reason="not_json"\} 1/);
    expect(text).toMatch(/warden_events_rejected_total\{source="http",reason="missing_field"\} 2/);
  });

  it('has stored every accepted event with a risk and reasons, readable once Warden stops', async () => {
    expect(await warden.stop()).toBe(0);
    const client = await embeddedClickHouse(dataDir.path);
    try {
      expect(await scalar(client, 'SELECT count() FROM warden.events')).toBe(53);
      const [row] = await rows<{ risk: number; reasons: string[] }>(client, "SELECT risk, reasons FROM warden.events WHERE event_id = 'http-39'");
      expect(row?.risk).toBeGreaterThanOrEqual(0);
      expect(row?.risk).toBeLessThanOrEqual(1);
      expect(Array.isArray(row?.reasons)).toBe(true);
      expect(await scalar(client, "SELECT count() FROM warden.baselines WHERE agent_id = 'agent-http'")).toBeGreaterThan(0);
      expect(await scalar(client, "SELECT sum(events) FROM warden.agent_activity_1m WHERE agent_id = 'agent-http'")).toBe(40);
    } finally {
      await client.close();
    }
  });
});
