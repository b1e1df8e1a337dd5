import { describe, expect, it } from 'vitest';
import { MODEL_FEATURE_COUNT, MODEL_FEATURE_NAMES } from '../../../src/learn/features.js';
import { DEFAULT_TRAINING_DATA_OPTIONS, buildTrainingData } from '../../../src/learn/training-data.js';
import { auditEvent, steadyFleet } from '../../support/events.js';

async function* linesOf(items: unknown[]): AsyncGenerator<string> {
  for (const item of items) yield typeof item === 'string' ? item : JSON.stringify(item);
}

const startMs = Date.parse('2026-11-02T08:00:00Z');
const fleet = steadyFleet({ agents: 3, eventsPerAgent: 50, startMs, intervalMs: 60_000 });

describe('training data', () => {
  it("skips each agent's warm-up and keeps one row per later event, reporting every exclusion", async () => {
    const data = await buildTrainingData(linesOf([...fleet, 'not json']), { ...DEFAULT_TRAINING_DATA_OPTIONS, heldOutShare: 0 });
    expect(data.width).toBe(MODEL_FEATURE_COUNT);
    expect(data.rowCount).toBe(3 * (50 - 30));
    expect(data.rows).toHaveLength(data.rowCount * MODEL_FEATURE_COUNT);
    expect(data.summary).toMatchObject({ linesRead: 151, accepted: 150, rejectedByCode: { not_json: 1 }, agents: 3, eligibleRows: 60 });
    expect(data.summary.excluded).toEqual({ warmup: 90, labelled: 0, heldOut: 0, risky: 0, sampledOut: 0 });
    const logBytes = MODEL_FEATURE_NAMES.indexOf('event.log_bytes');
    expect(data.rows[logBytes]).toBeGreaterThan(Math.log(1000) / 20 - 1e-6);
  });

  it('holds a share of the later events out of training, with their risks, to measure on', async () => {
    const data = await buildTrainingData(linesOf(fleet), { ...DEFAULT_TRAINING_DATA_OPTIONS, heldOutShare: 0.5 });
    expect(data.heldOut.rowCount).toBe(data.summary.excluded.heldOut);
    expect(data.heldOut.rowCount).toBeGreaterThan(15);
    expect(data.rowCount + data.heldOut.rowCount).toBe(60);
    expect(data.heldOut.risks).toHaveLength(data.heldOut.rowCount);
    expect(data.heldOut.rows).toHaveLength(data.heldOut.rowCount * MODEL_FEATURE_COUNT);
  });

  it('keeps labelled attack events and risky events out of the training rows', async () => {
    const burstStartMs = startMs + 50 * 60_000;
    const burst = Array.from({ length: 40 }, (_, i) =>
      auditEvent({ id: `burst-${i}`, agentId: 'agent-0', timeMs: burstStartMs + i * 200, action: 'files.export', bytes: 40_000_000, outcome: 'denied' }),
    );
    const labelled = new Set(['burst-0', 'burst-1', 'burst-2']);
    const data = await buildTrainingData(linesOf([...fleet, ...burst]), {
      ...DEFAULT_TRAINING_DATA_OPTIONS,
      heldOutShare: 0,
      attackKindOf: (eventId) => (labelled.has(eventId) ? 'exfiltration' : undefined),
    });
    expect(data.summary.excluded.labelled).toBe(3);
    expect(data.attacks.rowCount).toBe(3);
    expect(data.attacks.kinds).toEqual(['exfiltration', 'exfiltration', 'exfiltration']);
    expect(data.attacks.risks).toHaveLength(3);
    expect(data.summary.excluded.risky).toBeGreaterThan(30); // the unlabelled rest of the burst scores high
    expect(data.rowCount + data.summary.excluded.risky).toBe(60 + 37);
  });

  it('samples a uniform, seed-determined subset when there are more rows than maxRows', async () => {
    const options = { ...DEFAULT_TRAINING_DATA_OPTIONS, heldOutShare: 0, maxRows: 25, seed: 3 };
    const first = await buildTrainingData(linesOf(fleet), options);
    const second = await buildTrainingData(linesOf(fleet), options);
    expect(first.rowCount).toBe(25);
    expect(first.summary.excluded.sampledOut).toBe(35);
    expect(Array.from(second.rows)).toEqual(Array.from(first.rows));
  });
});
