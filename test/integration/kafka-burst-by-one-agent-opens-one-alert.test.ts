// An injected burst by one agent (new actions at 20x its rate) opens one alert naming that agent
// with reasons; the fleet's normal traffic opens none.
import { describe, expect, it } from 'vitest';
import { clickHouseAt, eventually, rows, scalar } from '../support/clickhouse-queries.js';
import { auditEvent, steadyFleet } from '../support/events.js';
import { useKafkaEngines } from '../support/kafka-engines.js';
import { eventRecords, produceRecords } from '../support/kafka-records.js';
import { kafkaDeployment } from '../support/kafka-warden-env.js';

describe('burst detection through Kafka', () => {
  const engines = useKafkaEngines();

  it('opens exactly one alert, for the bursting agent, with reasons', async () => {
    const deployment = await kafkaDeployment(engines.broker(), engines.clickhouse().url);
    const startMs = Date.now() - 2 * 24 * 3_600_000;
    const intervalMs = 60_000;
    const stepsBeforeBurst = 300;
    const fleet = steadyFleet({ agents: 20, eventsPerAgent: stepsBeforeBurst + 60, startMs, intervalMs });
    const burstStart = startMs + stepsBeforeBurst * intervalMs + 13;
    // agent-7 at 20x its rate, calling actions it never used.
    const burst = Array.from({ length: 60 }, (_, i) =>
      auditEvent({
        id: `burst-${i}`,
        agentId: 'agent-7',
        timeMs: burstStart + i * (intervalMs / 20),
        action: i % 2 ? 'files.export' : 'payments.transfer',
        resource: { type: 'drive', id: `doc-${i}` },
        bytes: 1500,
      }),
    );
    const events = [...fleet, ...burst].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    await produceRecords(engines.broker().bootstrapServers, deployment.topic, eventRecords(events));

    await engines.startWarden(deployment.env);
    const client = clickHouseAt(engines.clickhouse().url);
    const db = deployment.database;
    await eventually(
      () => scalar(client, `SELECT count() FROM ${db}.events`),
      (n) => n >= events.length,
      90_000,
    );
    await eventually(
      () => scalar(client, `SELECT count() FROM ${db}.alerts FINAL`),
      (n) => n > 0,
      10_000,
    );

    const alerts = await rows<{ agent_id: string; reasons: string[]; event_count: number; severity: string }>(
      client,
      `SELECT agent_id, reasons, event_count, severity FROM ${db}.alerts FINAL`,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.agent_id).toBe('agent-7');
    expect(alerts[0]?.event_count).toBeGreaterThanOrEqual(10);
    expect(alerts[0]?.reasons.join(' ')).toMatch(/\d/);
    expect(await scalar(client, `SELECT count() FROM ${db}.events WHERE agent_id != 'agent-7' AND alert_id != ''`)).toBe(0);
    expect(await scalar(client, `SELECT countIf(alert_id != '') FROM ${db}.events WHERE event_id LIKE 'burst-%'`)).toBeGreaterThanOrEqual(10);
    await client.close();
  });
});
