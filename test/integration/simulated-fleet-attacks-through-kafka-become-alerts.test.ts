// A simulated fleet with labelled attacks (`warden simulate`), produced to Kafka, runs through
// Warden into ClickHouse: every episode of the loud attack kinds ends up in an alert with
// reasons. (How often Warden alerts on benign traffic is `warden eval`'s measurement.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { tempChdbDir } from '../support/clickhouse-server-fixture.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import { runWardenCli } from '../support/warden-process.js';

interface Episode {
  episode_id: string;
  kind: string;
  agent_id: string;
  event_ids: string[];
}

describe('simulated fleet through Kafka', () => {
  const engines = useKafkaEngines();

  it('turns every runaway loop, enumeration and denial burst into an alert with reasons', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url, 16);
    const workDir = await tempChdbDir();
    const labelsFile = join(workDir.path, 'labels.ndjson');
    const eventsFile = join(workDir.path, 'events.ndjson');
    const simulated = await runWardenCli(
      [
        'simulate',
        ...['--seed', '5', '--agents', '16', '--days', '12', '--warmup-days', '9', '--attacks-per-kind', '2'],
        ...['--kinds', 'runaway_loop,enumeration,denial_burst', '--labels', labelsFile, '--out', eventsFile],
      ],
      {},
    );
    expect(simulated.code, simulated.stderr).toBe(0);
    const summary = JSON.parse(simulated.stdout.trim().split('\n').at(-1) ?? '{}') as { events: number };
    const episodes = readFileSync(labelsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Episode);
    expect(episodes).toHaveLength(6);

    // Warden consumes while the fleet is produced: the mock keeps at most 5 MB per partition.
    // Large produce requests, because the mock serves one request per partition per fetch, so
    // the simulator's small sends would measure the mock rather than Warden.
    await engines.startWarden(deployment.env);
    const records = readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => ({ key: (JSON.parse(line) as { agent: { id: string } }).agent.id, value: line }));
    expect(records).toHaveLength(summary.events);
    const client = clickHouseAt(engines.clickhouse().url);
    const db = deployment.database;
    const storedCount = () => scalar(client, `SELECT count() FROM ${db}.events`);
    for (let start = 0; start < records.length; start += 4_000) {
      await produceRecords(engines.broker().bootstrapServers, deployment.topic, records.slice(start, start + 4_000), 4_000);
      // Keep the backlog on the broker small (the 5 MB cap again).
      await eventually(storedCount, (n) => n >= start - 4_000, 60_000);
    }
    const stored = await eventually(
      () => scalar(client, `SELECT count() FROM ${db}.events`),
      (n) => n >= summary.events,
      120_000,
    );
    expect(stored).toBe(summary.events);

    for (const episode of episodes) {
      const alerted = await rows<{ alert_id: string; reasons: string[] }>(
        client,
        `SELECT DISTINCT a.alert_id AS alert_id, a.reasons AS reasons
         FROM ${db}.events AS e INNER JOIN (SELECT * FROM ${db}.alerts FINAL) AS a ON a.alert_id = e.alert_id
         WHERE e.event_id IN {ids:Array(String)}`,
        { ids: episode.event_ids },
      );
      expect(alerted.length, `${episode.kind} ${episode.episode_id} on ${episode.agent_id} has no alert`).toBeGreaterThan(0);
      expect(alerted[0]?.reasons.join(' ')).toMatch(/\d/);
    }
    await client.close();
    await workDir.remove();
  }, 240_000);
});
