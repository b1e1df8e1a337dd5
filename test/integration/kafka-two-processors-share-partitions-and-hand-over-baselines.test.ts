// Two processors in one consumer group share the partitions; stopping one hands its partitions
// and its agents' baselines to the other with nothing lost and nothing counted twice.
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { steadyFleet } from '../support/events.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { eventRecords, produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import type { WardenProcess } from '../support/warden-process.js';

/** The partitions of the process's most recent group join (a crash-and-rejoin may precede it). */
function latestAssignment(processor: WardenProcess): number[] {
  const joins = processor.logs.filter((line) => line.msg === 'joined consumer group');
  return (joins.at(-1)?.assigned as number[] | undefined) ?? [];
}

describe('two processors in one consumer group', () => {
  const engines = useKafkaEngines();

  it('share the partitions, then one takes over all of them with the baselines', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url, 4);
    const db = deployment.database;
    const client = clickHouseAt(engines.clickhouse().url);
    const storedCount = () => scalar(client, `SELECT count() FROM ${db}.events`);
    const events = steadyFleet({ agents: 40, eventsPerAgent: 450, startMs: Date.now() - 24 * 3_600_000, intervalMs: 60_000 });
    const parts = [events.slice(0, 6_000), events.slice(6_000, 12_000), events.slice(12_000)];

    const first = await engines.startWarden(deployment.env);
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[0] ?? []));
    await eventually(storedCount, (n) => n >= 6_000, 90_000);

    const second = await engines.startWarden(deployment.env);
    // Both end up with a share: 2 + 2 partitions in their latest assignments.
    const shares = await eventually(
      async () => [latestAssignment(first), latestAssignment(second)] as const,
      ([a, b]) => a.length === 2 && b.length === 2 && new Set([...a, ...b]).size === 4,
      60_000,
    );
    expect(shares.map((share) => share.length)).toEqual([2, 2]);
    const firstShare = shares[0];

    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[1] ?? []));
    await eventually(storedCount, (n) => n >= 12_000, 90_000);

    expect(await first.stop()).toBe(0);
    expect(
      await eventually(
        async () => latestAssignment(second),
        (a) => a.length === 4,
        45_000,
      ),
    ).toHaveLength(4);
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[2] ?? []));
    // Partitions are taken over at their first batch: the first processor's agents come back.
    const restored = await second.waitForLog(
      (line) => line.msg === 'took over partition' && firstShare.includes(Number(line.partition)) && Number(line.restoredAgents) > 0,
      45_000,
    );
    expect(Number(restored.restoredAgents)).toBeGreaterThan(0);
    await eventually(storedCount, (n) => n >= events.length, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await storedCount()).toBe(events.length);
    expect(await scalar(client, `SELECT uniqExact(event_id) FROM ${db}.events`)).toBe(events.length);

    expect(await second.stop()).toBe(0);
    const perAgent = await rows<{ agent_id: string; events_seen: number }>(
      client,
      `SELECT agent_id, argMax(events_seen, version) AS events_seen FROM ${db}.baselines GROUP BY agent_id`,
    );
    expect(perAgent).toHaveLength(40);
    for (const row of perAgent) expect([row.agent_id, Number(row.events_seen)]).toEqual([row.agent_id, 450]);
    await client.close();
  });
});
