import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_OPTIONS } from '../../src/detect/score-event.js';
import { buildAuditEventSchema } from '../../src/events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../../src/events/limits.js';
import { EventParser } from '../../src/events/parse-event.js';
import { createMetrics } from '../../src/metrics.js';
import { MODEL_FEATURE_COUNT } from '../../src/learn/features.js';
import { type BatchModel, EventProcessor, type RawRecord } from '../../src/pipeline.js';
import { AgentRegistry } from '../../src/profile/agent-registry.js';
import { SuppressionList } from '../../src/respond/suppressions.js';
import { auditEvent, steadyFleet } from '../support/events.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

function processor(agents = new AgentRegistry('test')) {
  const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
  const alerts = { riskThreshold: 0.8, quietGapMs: 60_000, maxEventIdsPerAlert: 10, maxReasonsPerAlert: 5 };
  return {
    agents,
    processor: new EventProcessor(
      parser,
      agents,
      createMetrics(),
      { scoring: DEFAULT_SCORING_OPTIONS, alerts, suppressions: new SuppressionList() },
      () => NOW,
    ),
  };
}

const kafkaRecord = (offset: number, value: string): RawRecord => ({ value, origin: { topic: 't', partition: 0, offset }, position: `t/0@${offset}` });
const httpRecord = (line: number, value: string): RawRecord => ({ value, origin: { topic: '', partition: -1, offset: -1 }, position: String(line) });
const event = (i: number) => JSON.stringify(auditEvent({ id: `e${i}`, timeMs: NOW - 100_000 + i * 1000 }));

describe('EventProcessor', () => {
  it('stores HTTP records and rejects bad ones with their position', () => {
    const { processor: p } = processor();
    const batch = p.process([httpRecord(1, event(1)), httpRecord(2, '{oops'), httpRecord(3, event(3))], { source: 'http' });
    expect(batch.eventRows.map((row) => row.event_id)).toEqual(['e1', 'e3']);
    expect(batch.rejected.map(({ record, rejection }) => [record.position, rejection.code])).toEqual([['2', 'not_json']]);
    expect(batch.eventRows[0]).toMatchObject({ agent_id: 'agent-mail-7', kafka_partition: -1, ingested_at: NOW });
  });

  it('learns from but does not store Kafka records at or below the stored offset', () => {
    const { processor: p, agents } = processor();
    const batch = p.process([kafkaRecord(5, event(5)), kafkaRecord(6, '{oops'), kafkaRecord(7, event(7))], { source: 'kafka', storedThroughOffset: 6 });
    expect(batch.eventRows.map((row) => row.kafka_offset)).toEqual([7]);
    expect(batch.rejected).toEqual([]);
    expect(agents.get('agent-mail-7')?.profile.eventsSeen).toBe(2);
  });

  it('skips entirely Kafka records its restored checkpoint already learned', () => {
    const { processor: p, agents } = processor();
    p.process([kafkaRecord(1, event(1))], { source: 'kafka' });
    const entry = agents.get('agent-mail-7');
    if (!entry) throw new Error('agent missing');
    entry.learnedThroughOffset = 3;
    const batch = p.process([kafkaRecord(2, event(2)), kafkaRecord(3, event(3)), kafkaRecord(4, event(4))], { source: 'kafka' });
    expect(batch.eventRows.map((row) => row.kafka_offset)).toEqual([4]);
    expect(entry.profile.eventsSeen).toBe(2);
  });

  it('folds the learned model in as one more finding, only for events past the warm-up', () => {
    const batches: number[] = [];
    const model: BatchModel = {
      width: MODEL_FEATURE_COUNT,
      scoreBatch: (_features, rows) => {
        batches.push(rows);
        return new Float32Array(rows).fill(0.95);
      },
      modelFinding: (score) => ({ signal: 'model_autoencoder', score, reason: `model says ${score.toFixed(2)}` }),
    };
    const agents = new AgentRegistry('test');
    const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
    const alerts = { riskThreshold: 0.8, quietGapMs: 60_000, maxEventIdsPerAlert: 10, maxReasonsPerAlert: 5 };
    const withModel = new EventProcessor(
      parser,
      agents,
      createMetrics(),
      { scoring: { ...DEFAULT_SCORING_OPTIONS, warmupEvents: 3 }, alerts, model },
      () => NOW,
    );
    const batch = withModel.process(
      [1, 2, 3, 4, 5].map((i) => httpRecord(i, event(i))),
      { source: 'http' },
    );
    // One inference call for the batch, over the two events past a 3-event warm-up.
    expect(batches).toEqual([2]);
    // A fresh calibration reads the model's 0.95 at its nominal tail 10^−5.8 (surprise 5.8), counted
    // half (MODEL_SURPRISE_WEIGHT): risk = 1 − 0.99 · 10^(−(2.9 − 2) / 4) ≈ 0.410; the warm-up
    // events have no findings: risk 0.
    expect(batch.eventRows.map((row) => Number(row.risk.toFixed(3)))).toEqual([0, 0, 0, 0.41, 0.41]);
    expect(batch.eventRows[4]?.reasons).toContain('model says 0.95');
  });

  it('refreshes peer baselines from the agents it holds without changing scores while no peer group is mature', () => {
    const plain = processor();
    const refreshed = processor();
    const records = [1, 2, 3, 4, 5].map((i) => httpRecord(i, event(i)));
    plain.processor.process(records.slice(0, 2), { source: 'http' });
    refreshed.processor.process(records.slice(0, 2), { source: 'http' });
    refreshed.processor.refreshPeers();
    const a = plain.processor.process(records.slice(2), { source: 'http' });
    const b = refreshed.processor.process(records.slice(2), { source: 'http' });
    expect(b.eventRows.map((row) => [row.risk, row.reasons])).toEqual(a.eventRows.map((row) => [row.risk, row.reasons]));
  });

  it('discounts a new action once other agents of the same type adopt it, and names the release', () => {
    const { processor: p } = processor();
    // Six email assistants, 1,500 calls each of their usual actions a minute apart, then each calls
    // mail.labels.create for the first time, ten minutes apart.
    const startMs = NOW - 3 * 24 * 3_600_000;
    const history = steadyFleet({ agents: 6, eventsPerAgent: 1500, startMs, intervalMs: 60_000 });
    p.process(
      history.map((fields, i) => httpRecord(i, JSON.stringify(fields))),
      { source: 'http' },
    );
    const releaseMs = startMs + 1500 * 60_000 + 3_600_000;
    const adoptions = [0, 1, 2, 3, 4, 5].map((agent) => {
      const call = auditEvent({ id: `label-${agent}`, agentId: `agent-${agent}`, timeMs: releaseMs + agent * 600_000, action: 'mail.labels.create' });
      return p.process([httpRecord(1000 + agent, JSON.stringify(call))], { source: 'http' }).eventRows[0];
    });
    const actionReason = (row: (typeof adoptions)[number]) => row?.reasons.find((reason) => reason.startsWith('action mail.labels.create'));
    expect(actionReason(adoptions[0])).not.toContain('adopted by');
    expect(actionReason(adoptions[2])).toMatch(/; adopted by 2 other agents of its type in the last 2 days \(a release\?\)$/);
    // A quarter of the action and workflow findings' surprise goes with each other adopter, all of it
    // from the fourth on. (Agent 1's first call of the action touched a resource it knew, so its
    // risk lacks the new-resource finding the others carry: it is left out of the comparison.)
    const risks = adoptions.map((row) => row?.risk ?? Number.NaN);
    expect(risks[0]).toBeGreaterThan(0.8); // the first adopter alerts
    expect(risks[2]).toBeLessThan(risks[0] as number);
    expect(risks[3]).toBeLessThan(risks[2] as number);
    expect(risks[4]).toBeLessThan(risks[3] as number);
    expect(risks[4]).toBeLessThan(0.8);
    expect(risks[5]).toBeCloseTo(risks[4] as number, 3);
  });
});
