// Two processors in one consumer group share the partitions; stopping one hands its partitions
// and its agents' baselines to the other with nothing lost and nothing counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClickHouseHttpServer, startClickHouseHttpServer } from '../support/clickhouse-server-fixture.js';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { steadyFleet } from '../support/events.js';
import { type MockBroker, startMockBroker } from '../support/kafka-mock-broker.js';
import { eventRecords, produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import { type LogLine, type WardenProcess, startWardenProcess } from '../support/warden-process.js';

const assignment = (line: LogLine) => (line.msg === 'joined consumer group' ? (line.assigned as number[]) : undefined);

describe('two processors in one consumer group', () => {
  let broker: MockBroker;
  let clickhouse: ClickHouseHttpServer;
  const processes: WardenProcess[] = [];

  beforeAll(async () => {
    [broker, clickhouse] = await Promise.all([startMockBroker(), startClickHouseHttpServer()]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all([broker?.stop(), clickhouse?.stop()]);
  });

  it('share the partitions, then one takes over all of them with the baselines', async () => {
    const deployment = await kafkaDeployment(broker, clickhouse.url, 4);
    const db = deployment.database;
    const client = clickHouseAt(clickhouse.url);
    const storedCount = () => scalar(client, `SELECT count() FROM ${db}.events`);
    const events = steadyFleet({ agents: 40, eventsPerAgent: 450, startMs: Date.now() - 24 * 3_600_000, intervalMs: 60_000 });
    const parts = [events.slice(0, 6_000), events.slice(6_000, 12_000), events.slice(12_000)];

    const first = await startWardenProcess(deployment.env);
    processes.push(first);
    await produceRecords(broker.bootstrapServers, deployment.topic, eventRecords(parts[0] ?? []));
    await eventually(storedCount, (n) => n >= 6_000, 90_000);

    const second = await startWardenProcess(deployment.env);
    processes.push(second);
    // Both end up with a share: 2 + 2 partitions.
    const firstShare = await first.waitForLog((line) => (assignment(line)?.length ?? 0) === 2, 45_000);
    const secondShare = await second.waitForLog((line) => (assignment(line)?.length ?? 0) === 2, 45_000);
    expect(new Set([...(assignment(firstShare) ?? []), ...(assignment(secondShare) ?? [])]).size).toBe(4);

    await produceRecords(broker.bootstrapServers, deployment.topic, eventRecords(parts[1] ?? []));
    await eventually(storedCount, (n) => n >= 12_000, 90_000);

    expect(await first.stop()).toBe(0);
    const takeover = await second.waitForLog((line) => (assignment(line)?.length ?? 0) === 4, 45_000);
    expect(assignment(takeover)).toHaveLength(4);
    const restored = await second.waitForLog((line) => line.msg === 'took over partition' && (assignment(firstShare) ?? []).includes(Number(line.partition)) && Number(line.restoredAgents) > 0, 45_000);
    expect(Number(restored.restoredAgents)).toBeGreaterThan(0);

    await produceRecords(broker.bootstrapServers, deployment.topic, eventRecords(parts[2] ?? []));
    await eventually(storedCount, (n) => n >= events.length, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await storedCount()).toBe(events.length);
    expect(await scalar(client, `SELECT uniqExact(event_id) FROM ${db}.events`)).toBe(events.length);

    expect(await second.stop()).toBe(0);
    const perAgent = await rows<{ agent_id: string; events_seen: number }>(client, `SELECT agent_id, argMax(events_seen, version) AS events_seen FROM ${db}.baselines GROUP BY agent_id`);
    expect(perAgent).toHaveLength(40);
    for (const row of perAgent) expect([row.agent_id, Number(row.events_seen)]).toEqual([row.agent_id, 450]);
    await client.close();
  });
});
