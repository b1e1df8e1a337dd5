// Proves the test ClickHouse server (chDB behind ClickHouse's HTTP interface) is a ClickHouse that
// @clickhouse/client can rely on: inserts, queries, parameters, errors, sessions, compression,
// concurrent clients, and the injected insert refusal that reliability tests use.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startClickHouseHttpServer, type ClickHouseHttpServer } from '../support/clickhouse-server-fixture.js';

interface EventRow {
  event_id: string;
  agent_id: string;
  time: string;
  bytes: number;
  version: number;
}

let server: ClickHouseHttpServer;

beforeAll(async () => {
  server = await startClickHouseHttpServer();
});

afterAll(async () => {
  await server?.stop();
});

function clientForThisTest(options: ClickHouseClientConfigOptions = {}): ClickHouseClient {
  const client = createClient({
    url: server.url,
    compression: { request: false, response: false },
    clickhouse_settings: { date_time_input_format: 'best_effort' },
    // Several tests expect rejections; the client would log each one as an error.
    log: { level: ClickHouseLogLevel.OFF },
    ...options,
  });
  onTestFinished(() => client.close());
  return client;
}

/** A database per test, holding Warden's shape of table: ReplacingMergeTree with DateTime64 times. */
async function databaseWithEventsTable(client: ClickHouseClient): Promise<string> {
  const database = `shim_${randomBytes(6).toString('hex')}`;
  await client.command({ query: `CREATE DATABASE ${database}` });
  await client.command({
    query: `CREATE TABLE ${database}.events (
      event_id String, agent_id String, time DateTime64(3, 'UTC'), bytes UInt64, version UInt32
    ) ENGINE = ReplacingMergeTree(version) ORDER BY (agent_id, event_id)`,
  });
  return database;
}

function eventRows(count: number, idPrefix = 'evt'): EventRow[] {
  const start = Date.parse('2026-11-24T10:00:00.000Z');
  return Array.from({ length: count }, (_, i) => ({
    event_id: `${idPrefix}-${i}`,
    agent_id: `agent-${i % 97}`,
    time: new Date(start + i * 7).toISOString(),
    bytes: i * 3,
    version: 1,
  }));
}

async function countEvents(client: ClickHouseClient, database: string): Promise<number> {
  const result = await client.query({ query: `SELECT count() AS c FROM ${database}.events FINAL`, format: 'JSONEachRow' });
  const [row] = await result.json<{ c: string | number }>();
  return Number(row?.c);
}

describe('clickhouse http server', () => {
  it('answers ping on /ping and through a SELECT', async () => {
    const client = clientForThisTest();

    expect(await client.ping()).toEqual({ success: true });
    expect(await client.ping({ select: true })).toEqual({ success: true });
  });

  it('stores a 50,000-row JSONEachRow insert sent in one request', async () => {
    const client = clientForThisTest();
    const database = await databaseWithEventsTable(client);

    const result = await client.insert({ table: `${database}.events`, values: eventRows(50_000), format: 'JSONEachRow' });

    expect(result.summary?.written_rows).toBe('50000');
    expect(await countEvents(client, database)).toBe(50_000);
    const stored = await client.query({
      query: `SELECT time, bytes FROM ${database}.events WHERE event_id = 'evt-49999'`,
      format: 'JSONEachRow',
    });
    expect(await stored.json()).toEqual([{ time: '2026-11-24 10:05:49.993', bytes: 149_997 }]);
  });

  it('binds query parameters the way the server does', async () => {
    const client = clientForThisTest();
    const awkward = `it's a \\ "test"\twith\nnewline`;

    const result = await client.query({
      query: `SELECT {text:String} AS text, {list:Array(String)} AS list, {n:UInt32} + 1 AS next,
                     {at:DateTime64(3, 'UTC')} AS at, {maybe:Nullable(String)} AS maybe`,
      query_params: { text: awkward, list: ["a'b", 'c\\d', ''], n: 41, at: new Date('2026-11-24T10:15:02.123Z'), maybe: null },
      format: 'JSONEachRow',
    });

    expect(await result.json()).toEqual([{ text: awkward, list: ["a'b", 'c\\d', ''], next: 42, at: '2026-11-24 10:15:02.123', maybe: null }]);
  });

  it('binds query parameters longer than max_query_size sent as multipart form fields', async () => {
    const client = clientForThisTest({ use_multipart_params: true });
    const long = 'x'.repeat(400_000);

    const result = await client.query({
      query: 'SELECT length({long:String}) AS length',
      query_params: { long },
      format: 'JSONEachRow',
    });

    expect(await result.json()).toEqual([{ length: 400_000 }]);
  });

  it('answers FORMAT JSON with meta, data, rows and statistics', async () => {
    const client = clientForThisTest();

    const result = await client.query({ query: 'SELECT number AS n, toString(number) AS s FROM numbers(3)', format: 'JSON' });
    const body = await result.json<{ n: number | string; s: string }>();

    expect(body.meta).toEqual([
      { name: 'n', type: 'UInt64' },
      { name: 's', type: 'String' },
    ]);
    expect(body.data.map((row) => [Number(row.n), row.s])).toEqual([
      [0, '0'],
      [1, '1'],
      [2, '2'],
    ]);
    expect(body.rows).toBe(3);
    expect(body.statistics).toEqual({ elapsed: expect.any(Number), rows_read: 3, bytes_read: 24 });
    expect(result.response_headers['x-clickhouse-format']).toBe('JSON');
  });

  it('rejects a failing statement with a ClickHouseError carrying the server message and code', async () => {
    const client = clientForThisTest();

    const missingTable = client.query({ query: 'SELECT * FROM default.no_such_table', format: 'JSONEachRow' });
    await expect(missingTable).rejects.toBeInstanceOf(ClickHouseError);
    await expect(missingTable).rejects.toMatchObject({
      code: '60',
      type: 'UNKNOWN_TABLE',
      message: expect.stringContaining('no_such_table'),
    });
    await expect(client.command({ query: 'CREATE TABLE (' })).rejects.toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });
  });

  it('takes the client database setting as the default database', async () => {
    const database = await databaseWithEventsTable(clientForThisTest());
    const client = clientForThisTest({ database });

    await client.insert({ table: 'events', values: eventRows(3), format: 'JSONEachRow' });
    const result = await client.query({ query: 'SELECT currentDatabase() AS db, count() AS c FROM events', format: 'JSONEachRow' });

    expect((await result.json<{ db: string; c: number | string }>()).map((row) => [row.db, Number(row.c)])).toEqual([[database, 3]]);
  });

  it('serves two clients inserting and querying at the same time', async () => {
    const first = clientForThisTest();
    const second = clientForThisTest();
    const database = await databaseWithEventsTable(first);

    const writeAndRead = async (client: ClickHouseClient, idPrefix: string): Promise<void> => {
      for (let batch = 0; batch < 5; batch += 1) {
        await client.insert({
          table: `${database}.events`,
          values: eventRows(1_000, `${idPrefix}-${batch}`),
          format: 'JSONEachRow',
        });
        await countEvents(client, database);
      }
    };
    await Promise.all([writeAndRead(first, 'first'), writeAndRead(second, 'second')]);

    expect(await countEvents(first, database)).toBe(10_000);
  });

  it('refuses inserts while a fault is injected and accepts them once it is cleared', async () => {
    const client = clientForThisTest();
    const database = await databaseWithEventsTable(client);
    onTestFinished(() => server.refuseInserts(0));

    await server.refuseInserts(60_000);
    const refused = client.insert({ table: `${database}.events`, values: eventRows(10), format: 'JSONEachRow' });
    await expect(refused).rejects.toBeInstanceOf(ClickHouseError);
    await expect(refused).rejects.toMatchObject({
      code: '242',
      type: 'TABLE_IS_READ_ONLY',
      message: expect.stringContaining('readonly mode (injected fault)'),
    });
    expect(await countEvents(client, database)).toBe(0);

    await server.refuseInserts(0);
    await client.insert({ table: `${database}.events`, values: eventRows(10), format: 'JSONEachRow' });
    expect(await countEvents(client, database)).toBe(10);
  });

  it('lifts an injected insert refusal once its duration has passed', async () => {
    const client = clientForThisTest();
    const database = await databaseWithEventsTable(client);
    onTestFinished(() => server.refuseInserts(0));

    await server.refuseInserts(300);
    await expect(client.insert({ table: `${database}.events`, values: eventRows(1), format: 'JSONEachRow' })).rejects.toMatchObject({ code: '242' });
    await sleep(400);
    await client.insert({ table: `${database}.events`, values: eventRows(1), format: 'JSONEachRow' });

    expect(await countEvents(client, database)).toBe(1);
  });

  it('keeps temporary tables and SET within one session_id and away from other requests', async () => {
    const sessionClient = clientForThisTest({ session_id: `session-${randomBytes(6).toString('hex')}` });
    const plainClient = clientForThisTest();

    await sessionClient.command({ query: 'CREATE TEMPORARY TABLE scratch (x UInt8)' });
    await sessionClient.command({ query: 'SET max_threads = 1' });
    await sessionClient.insert({ table: 'scratch', values: [{ x: 7 }], format: 'JSONEachRow' });
    const inSession = await sessionClient.query({
      query: "SELECT sum(x) AS total, getSetting('max_threads') AS threads FROM scratch",
      format: 'JSONEachRow',
    });

    const rows = await inSession.json<{ total: number | string; threads: number | string }>();
    expect(rows.map((row) => [Number(row.total), Number(row.threads)])).toEqual([[7, 1]]);
    await expect(plainClient.query({ query: 'SELECT * FROM scratch' })).rejects.toMatchObject({
      type: 'UNKNOWN_TABLE',
    });
  });

  it('speaks gzip both ways when the client turns compression on', async () => {
    const client = clientForThisTest({ compression: { request: true, response: true } });
    const database = await databaseWithEventsTable(client);

    await client.insert({ table: `${database}.events`, values: eventRows(2_000), format: 'JSONEachRow' });
    const result = await client.query({
      query: `SELECT event_id FROM ${database}.events ORDER BY event_id LIMIT 2`,
      format: 'JSONEachRow',
    });

    expect(result.response_headers['content-encoding']).toBe('gzip');
    expect(await result.json()).toEqual([{ event_id: 'evt-0' }, { event_id: 'evt-1' }]);
    await expect(client.query({ query: 'SELECT * FROM default.no_such_table' })).rejects.toMatchObject({ code: '60' });
  });

  it('serves a client left at its default compression settings', async () => {
    const client = createClient({ url: server.url, log: { level: ClickHouseLogLevel.OFF } });
    onTestFinished(() => client.close());
    const database = await databaseWithEventsTable(client);

    await client.insert({
      table: `${database}.events`,
      values: eventRows(100).map((row) => ({ ...row, time: row.time.replace('T', ' ').replace('Z', '') })),
      format: 'JSONEachRow',
    });

    expect(await countEvents(client, database)).toBe(100);
  });
});
