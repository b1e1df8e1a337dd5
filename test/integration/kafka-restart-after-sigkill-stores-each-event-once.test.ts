// SIGKILL the processor after it stored events it had not committed yet, produce more while it
// is down, restart it: every event is stored once, the burst is one alert, and the baselines
// are restored from the checkpoint and count every event exactly once.
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { auditEvent, steadyFleet } from '../support/events.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { eventRecords, produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import type { WardenProcess } from '../support/warden-process.js';

describe('crash and restart', () => {
  const engines = useKafkaEngines();
  let warden: WardenProcess | undefined;

  it('stores every event exactly once, opens no duplicate alert and restores baselines', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url, 4, {});
    const db = deployment.database;
    const client = clickHouseAt(engines.clickhouse().url);
    const startMs = Date.now() - 24 * 3_600_000;
    const fleet = steadyFleet({ agents: 50, eventsPerAgent: 400, startMs, intervalMs: 60_000 });
    const burstAt = startMs + 150 * 60_000 + 11;
    const burst = Array.from({ length: 40 }, (_, i) =>
      auditEvent({
        id: `burst-${i}`,
        agentId: 'agent-3',
        timeMs: burstAt + i * 3_000,
        action: 'admin.users.delete',
        resource: { type: 'directory', id: `user-${i}` },
      }),
    );
    const events = [...fleet, ...burst].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const parts = [events.slice(0, 5_000), events.slice(5_000, 12_000), events.slice(12_000)];
    const storedCount = () => scalar(client, `SELECT count() FROM ${db}.events`);

    // Life 1 ends gracefully: its final checkpoint holds baselines and commits its offsets.
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[0] ?? []));
    warden = await engines.startWarden(deployment.env);
    await eventually(storedCount, (n) => n >= 5_000, 90_000);
    expect(await warden.stop()).toBe(0);

    // Life 2 restores those baselines, then stores events it never commits (no checkpoint is
    // due) and is killed: the replay must not store them twice nor learn them twice.
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[1] ?? []));
    warden = await engines.startWarden({ ...deployment.env, WARDEN_CHECKPOINT_INTERVAL_MS: '600000' });
    const restoredLife2 = await warden.waitForLog((line) => line.msg === 'took over partition' && Number(line.restoredAgents) > 0);
    expect(Number(restoredLife2.restoredAgents)).toBeGreaterThan(0);
    await eventually(storedCount, (n) => n >= 12_000, 90_000);
    await warden.kill();
    expect(await storedCount()).toBe(12_000);

    // Life 3 replays from life 1's commit and then takes the rest.
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(parts[2] ?? []));
    warden = await engines.startWarden(deployment.env);
    await eventually(storedCount, (n) => n >= events.length, 90_000);
    // Let any straggling (duplicate) insert land before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(await storedCount()).toBe(events.length);
    expect(await scalar(client, `SELECT uniqExact(event_id) FROM ${db}.events`)).toBe(events.length);
    const replay = await warden.waitForLog((line) => line.msg === 'took over partition' && Number(line.alreadyStoredThrough) >= Number(line.resumeAt));
    expect(Number(replay.restoredAgents)).toBeGreaterThan(0);

    const burstAlerts = await rows<{ alert_id: string }>(client, `SELECT DISTINCT alert_id FROM ${db}.events WHERE event_id LIKE 'burst-%' AND alert_id != ''`);
    expect(burstAlerts).toHaveLength(1);
    expect(await scalar(client, `SELECT count() FROM ${db}.alerts FINAL WHERE agent_id = 'agent-3'`)).toBe(1);

    await warden.stop();
    warden = undefined;
    // Baselines: restored at restart and, after the final checkpoint, count each event once.
    const perAgent = await rows<{ agent_id: string; events_seen: number }>(
      client,
      `SELECT agent_id, argMax(events_seen, version) AS events_seen FROM ${db}.baselines GROUP BY agent_id`,
    );
    const expected = new Map<string, number>();
    for (const event of events) expected.set(event.agent.id, (expected.get(event.agent.id) ?? 0) + 1);
    expect(perAgent).toHaveLength(expected.size);
    for (const { agent_id, events_seen } of perAgent) expect([agent_id, Number(events_seen)]).toEqual([agent_id, expected.get(agent_id)]);
    await client.close();
  });
});
