// 10,000 events through Kafka, 100 of them malformed in different ways: exactly 9,900 stored
// with risk and reasons, exactly 100 dead letters each with its reason, offsets committed.
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { auditEvent, malformedRecords, steadyFleet } from '../support/events.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { committedOffsets, eventRecords, produceRecords, readTopic, type TestRecord } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';
import { TEST_ADMIN_KEY, type WardenProcess } from '../support/warden-process.js';

describe('Kafka source with malformed events', () => {
  const engines = useKafkaEngines();
  let warden: WardenProcess | undefined;

  it('stores exactly the 9,900 good events, dead-letters the 100 bad ones with reasons, commits offsets', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url);
    const good = eventRecords(steadyFleet({ agents: 100, eventsPerAgent: 99, startMs: Date.now() - 3 * 3_600_000, intervalMs: 60_000 }));
    const bad = malformedRecords(100, new Date().toISOString());
    const records: TestRecord[] = [];
    for (let i = 0; i < good.length; i += 1) {
      records.push(good[i] as TestRecord);
      if (i % 99 === 0 && bad.length > 0) records.push({ key: `agent-${i % 100}`, value: (bad.pop() as { value: string }).value });
    }
    expect(records).toHaveLength(10_000);
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, records);

    warden = await engines.startWarden(deployment.env);
    const client = clickHouseAt(engines.clickhouse().url);
    const stored = await eventually(
      () => scalar(client, `SELECT count() FROM ${deployment.database}.events`),
      (n) => n >= 9_900,
      90_000,
    );
    expect(stored).toBe(9_900);
    expect(await scalar(client, `SELECT uniqExact(event_id) FROM ${deployment.database}.events`)).toBe(9_900);
    expect(await scalar(client, `SELECT countIf(risk < 0 OR risk > 1) FROM ${deployment.database}.events`)).toBe(0);

    const deadLetters = await readTopic(engines.broker().bootstrapServers, deployment.dlqTopic, 100);
    expect(deadLetters).toHaveLength(100);
    for (const message of deadLetters) {
      expect(message.headers?.['warden-reason']?.toString()).toMatch(/\S/);
      expect(message.headers?.['warden-source-offset']?.toString()).toMatch(/^\d+$/);
    }
    const codes = new Set(deadLetters.map((m) => m.headers?.['warden-reason-code']?.toString()));
    expect(codes.size).toBeGreaterThanOrEqual(6);
    // The raw bytes travel unchanged.
    const producedBad = new Set(records.filter((r) => !good.includes(r)).map((r) => r.value));
    expect(deadLetters.every((m) => producedBad.has(m.value?.toString() ?? ''))).toBe(true);

    await warden.stop();
    warden = undefined;
    const offsets = await committedOffsets(engines.broker().bootstrapServers, deployment.groupId, deployment.topic);
    const committedTotal = [...offsets.values()].reduce((sum, offset) => sum + Math.max(0, offset), 0);
    expect(committedTotal).toBe(10_000);
    await client.close();
  });

  it('forwards HTTP-ingested events onto the topic, where the owning partition stores them', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url);
    warden = await engines.startWarden(deployment.env);
    const now = Date.now();
    const lines = [
      JSON.stringify(auditEvent({ id: 'fwd-1', agentId: 'agent-http-1', timeMs: now - 5_000 })),
      '{"broken',
      JSON.stringify(auditEvent({ id: 'fwd-2', agentId: 'agent-http-2', timeMs: now - 4_000 })),
    ];
    const response = await fetch(`${warden.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: lines.join('\n'),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 2, rejected: [{ line: 2, code: 'not_json' }] });

    const client = clickHouseAt(engines.clickhouse().url);
    const stored = await eventually(
      () => rows<{ event_id: string; kafka_topic: string }>(client, `SELECT event_id, kafka_topic FROM ${deployment.database}.events ORDER BY event_id`),
      (found) => found.length >= 2,
      30_000,
    );
    expect(stored).toEqual([
      { event_id: 'fwd-1', kafka_topic: deployment.topic },
      { event_id: 'fwd-2', kafka_topic: deployment.topic },
    ]);
    await client.close();
  });
});
