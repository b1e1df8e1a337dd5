// Alerts over HTTP on the embedded default: a burst becomes an alert readable through the API;
// a false-positive verdict is recorded with who and when and mutes the signals behind it for
// that agent, so the same behaviour no longer alerts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempChdbDir, tempChdbDir } from '../support/clickhouse-server-fixture.js';
import { embeddedClickHouse, eventually, rows } from '../support/clickhouse-queries.js';
import { type EventFields, auditEvent, steadyFleet } from '../support/events.js';
import { TEST_ADMIN_KEY, type WardenProcess, startWardenProcess } from '../support/warden-process.js';

interface AlertBody {
  alert_id: string;
  agent_id: string;
  reasons: string[];
  signals: string[];
  event_count: number;
}

const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

function burst(prefix: string, agentId: string, startMs: number, count: number): EventFields[] {
  return Array.from({ length: count }, (_, i) =>
    auditEvent({
      id: `${prefix}-${i}`,
      agentId,
      timeMs: startMs + i * 3_000,
      action: i % 2 ? 'files.export' : 'payments.transfer',
      resource: { type: 'drive', id: `doc-${i}` },
    }),
  );
}

describe('alerts API and feedback', () => {
  let dataDir: TempChdbDir;
  let warden: WardenProcess | undefined;
  const startMs = Date.now() - 3 * 24 * 3_600_000;
  const intervalMs = 60_000;

  async function post(events: EventFields[]): Promise<void> {
    for (let i = 0; i < events.length; i += 2_000) {
      const response = await fetch(`${warden?.url}/v1/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-ndjson' },
        body: events
          .slice(i, i + 2_000)
          .map((e) => JSON.stringify(e))
          .join('\n'),
      });
      expect(response.status).toBe(202);
    }
  }

  beforeAll(async () => {
    dataDir = await tempChdbDir();
    warden = await startWardenProcess({ WARDEN_DATA_DIR: dataDir.path, WARDEN_CHECKPOINT_INTERVAL_MS: '500' });
  });
  afterAll(async () => {
    await warden?.stop();
    await dataDir?.remove();
  });

  it('lists the burst as one alert with reasons and signals, and reads it by id', async () => {
    const fleet = steadyFleet({ agents: 10, eventsPerAgent: 300, startMs, intervalMs });
    await post([...fleet, ...burst('burst', 'agent-7', startMs + 300 * intervalMs + 13, 40)].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)));

    const list = await fetch(`${warden?.url}/v1/alerts`, { headers: auth });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: AlertBody[]; next_cursor: string | null };
    expect(body.items).toHaveLength(1);
    const [alert] = body.items;
    expect(alert?.agent_id).toBe('agent-7');
    expect(alert?.signals.length).toBeGreaterThan(0);
    expect(alert?.reasons.length).toBeGreaterThan(0);
    expect(body.next_cursor).toBeNull();

    const one = await fetch(`${warden?.url}/v1/alerts/${alert?.alert_id}`, { headers: auth });
    expect(((await one.json()) as AlertBody).alert_id).toBe(alert?.alert_id);
    expect((await fetch(`${warden?.url}/v1/alerts/alr_nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${warden?.url}/v1/alerts?agent_id=agent-1`, { headers: auth }).then((r) => r.json())) as { items: unknown[] }).toMatchObject({
      items: [],
    });
  });

  it('lists the agents with their baseline summaries once checkpointed', async () => {
    const agents = await eventually(
      () =>
        fetch(`${warden?.url}/v1/agents?limit=4`, { headers: auth }).then(
          (r) => r.json() as Promise<{ items: { agent_id: string; events_seen: number }[]; next_cursor: string | null }>,
        ),
      (page) => page.items.length === 4,
      15_000,
    );
    expect(agents.items.map((a) => a.agent_id)).toEqual(['agent-0', 'agent-1', 'agent-2', 'agent-3']);
    const next = (await fetch(`${warden?.url}/v1/agents?limit=4&cursor=${agents.next_cursor}`, { headers: auth }).then((r) => r.json())) as {
      items: { agent_id: string }[];
    };
    expect(next.items[0]?.agent_id).toBe('agent-4');
    // Checkpoints run every 500 ms here: the newest one has seen all 300 of its events.
    const one = await eventually(
      () =>
        fetch(`${warden?.url}/v1/agents/agent-2`, { headers: auth }).then(
          (r) => r.json() as Promise<{ events_seen: number; baseline: string | null; peer_group: string | null }>,
        ),
      (agent) => agent.events_seen === 300,
      15_000,
    );
    expect(one.events_seen).toBe(300);
    // 300 events are a young baseline, and no agent here is mature enough to be anyone's peer.
    expect(one).toMatchObject({ baseline: 'warming_up', peer_group: null });
    expect((await fetch(`${warden?.url}/v1/agents/nobody`, { headers: auth })).status).toBe(404);
  });

  it('refuses a malformed verdict', async () => {
    const [alert] = ((await fetch(`${warden?.url}/v1/alerts`, { headers: auth }).then((r) => r.json())) as { items: AlertBody[] }).items;
    const response = await fetch(`${warden?.url}/v1/alerts/${alert?.alert_id}/feedback`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ verdict: 'maybe' }),
    });
    expect(response.status).toBe(400);
  });

  it('records a false positive and stops alerting on the muted signals for that agent', async () => {
    const [alert] = ((await fetch(`${warden?.url}/v1/alerts`, { headers: auth }).then((r) => r.json())) as { items: AlertBody[] }).items;
    const response = await fetch(`${warden?.url}/v1/alerts/${alert?.alert_id}/feedback`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ verdict: 'false_positive', comment: 'approved migration job', suppress_days: 7 }),
    });
    expect(response.status).toBe(201);
    const verdict = (await response.json()) as { feedback_id: string; suppressions: { signal: string }[] };
    expect(verdict.suppressions.map((s) => s.signal).sort()).toEqual([...(alert?.signals ?? [])].sort());

    // The same behaviour an hour later: muted signals no longer open an alert.
    await post(burst('again', 'agent-7', startMs + 300 * intervalMs + 3_600_000, 40));
    const after = (await fetch(`${warden?.url}/v1/alerts`, { headers: auth }).then((r) => r.json())) as { items: AlertBody[] };
    expect(after.items.map((a) => a.alert_id)).toEqual([alert?.alert_id]);

    await warden?.stop();
    warden = undefined;
    const client = await embeddedClickHouse(dataDir.path);
    try {
      const feedback = await rows<{ verdict: string; actor: string; comment: string }>(client, 'SELECT verdict, actor, comment FROM warden.feedback');
      expect(feedback).toEqual([{ verdict: 'false_positive', actor: expect.stringMatching(/^api-key:[0-9a-f]{12}$/), comment: 'approved migration job' }]);
    } finally {
      await client.close();
    }
  });
});
