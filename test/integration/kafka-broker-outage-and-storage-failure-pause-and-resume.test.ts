// The broker goes down for ~10 s, later storage refuses inserts for a while: Warden reports
// not-ready meanwhile, pauses, retries and resumes, losing nothing and storing nothing twice.
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, scalar } from '../support/clickhouse-queries.js';
import { steadyFleet } from '../support/events.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { eventRecords, produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import type { WardenProcess } from '../support/warden-process.js';

async function readyStatus(warden: WardenProcess): Promise<number> {
  return (await fetch(`${warden.url}/readyz`)).status;
}

describe('outages', () => {
  const engines = useKafkaEngines();
  let warden: WardenProcess | undefined;

  it('survives a broker outage and a storage outage with every event stored once', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url, 4);
    const db = deployment.database;
    const client = clickHouseAt(engines.clickhouse().url);
    const storedCount = () => scalar(client, `SELECT count() FROM ${db}.events`);
    const events = steadyFleet({ agents: 30, eventsPerAgent: 300, startMs: Date.now() - 24 * 3_600_000, intervalMs: 60_000 });
    const parts = [events.slice(0, 3_000), events.slice(3_000, 6_000), events.slice(6_000)];

    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[0] ?? []));
    warden = await engines.startWarden(deployment.env);
    await eventually(storedCount, (n) => n >= 3_000, 90_000);
    expect(
      await eventually(
        () => readyStatus(warden as WardenProcess),
        (s) => s === 200,
        15_000,
      ),
    ).toBe(200);

    // Broker outage.
    await engines.broker().brokerDown(1);
    expect(
      await eventually(
        () => readyStatus(warden as WardenProcess),
        (s) => s === 503,
        9_000,
        200,
      ),
    ).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 10_000 - 1_000));
    await engines.broker().brokerUp(1);
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[1] ?? []));
    await eventually(storedCount, (n) => n >= 6_000, 90_000);
    expect(
      await eventually(
        () => readyStatus(warden as WardenProcess),
        (s) => s === 200,
        30_000,
      ),
    ).toBe(200);

    // Storage outage: inserts refused for 8 s while events keep arriving.
    await engines.clickhouse().refuseInserts(8_000);
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[2] ?? []));
    const notReady = await eventually(
      () => fetch(`${(warden as WardenProcess).url}/readyz`).then((r) => r.json() as Promise<{ status: string; checks: Record<string, { ok: boolean }> }>),
      (body) => body.status === 'not_ready',
      8_000,
      200,
    );
    expect(notReady.status).toBe('not_ready');
    expect(notReady.checks.storage?.ok).toBe(false);
    await warden.waitForLog((line) => line.msg === 'storage is failing: pausing Kafka consumption', 8_000);

    await eventually(storedCount, (n) => n >= events.length, 90_000);
    await warden.waitForLog((line) => line.msg === 'ClickHouse writes recovered', 30_000);
    expect(
      await eventually(
        () => readyStatus(warden as WardenProcess),
        (s) => s === 200,
        30_000,
      ),
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await storedCount()).toBe(events.length);
    expect(await scalar(client, `SELECT uniqExact(event_id) FROM ${db}.events`)).toBe(events.length);
    // And it still shuts down promptly and cleanly after all that.
    const stopStartedAt = Date.now();
    expect(await warden.stop()).toBe(0);
    expect(Date.now() - stopStartedAt).toBeLessThan(15_000);
    warden = undefined;
    await client.close();
  });
});
