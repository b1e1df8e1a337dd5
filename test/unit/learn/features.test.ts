import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../../src/detect/registry.js';
import type { SignalFinding } from '../../../src/detect/combine.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { MODEL_FEATURE_COUNT, MODEL_FEATURE_NAMES, modelFeatures } from '../../../src/learn/features.js';

function event(overrides: Partial<AuditEvent> & { time: string }): AuditEvent {
  return { id: 'e-1', agent: { id: 'a-1' }, action: 'mail.read', outcome: 'success', attributes: {}, timeMs: Date.parse(overrides.time), ...overrides };
}

const column = (name: string) => MODEL_FEATURE_NAMES.indexOf(name);

describe('model features', () => {
  it('lay out one slot per registered detector, in registry order, then the event facts', () => {
    const signalNames = DETECTORS.map((detector) => `signal.${detector.name}`);
    expect(MODEL_FEATURE_NAMES.slice(0, signalNames.length)).toEqual(signalNames);
    expect(MODEL_FEATURE_NAMES.slice(signalNames.length)).toEqual([
      'event.hour_sin',
      'event.hour_cos',
      'event.log_bytes',
      'event.log_records',
      'event.outcome_failure',
      'event.outcome_denied',
      'event.has_task',
      'event.action_undeclared',
    ]);
    expect(MODEL_FEATURE_COUNT).toBe(MODEL_FEATURE_NAMES.length);
    expect(new Set(MODEL_FEATURE_NAMES).size).toBe(MODEL_FEATURE_COUNT);
  });

  it('put each finding in its signal slot and ignore signals the model does not know', () => {
    const findings: SignalFinding[] = [
      { signal: 'bytes_volume', score: 0.7, reason: 'big' },
      { signal: 'event_rate', score: 0.25, reason: 'fast' },
      { signal: 'model_autoencoder', score: 0.9, reason: 'its own finding' },
    ];
    const row = new Float32Array(MODEL_FEATURE_COUNT);
    modelFeatures(findings, event({ time: '2026-11-24T06:00:00Z' }), row, 0);
    expect(row[column('signal.bytes_volume')]).toBeCloseTo(0.7, 6);
    expect(row[column('signal.event_rate')]).toBeCloseTo(0.25, 6);
    const otherSignals = MODEL_FEATURE_NAMES.filter((name) => name.startsWith('signal.') && name !== 'signal.bytes_volume' && name !== 'signal.event_rate');
    for (const name of otherSignals) expect(row[column(name)]).toBe(0);
  });

  it('encode hour of day, sizes, outcome and task from the event alone', () => {
    const row = new Float32Array(MODEL_FEATURE_COUNT);
    const denied = event({
      time: '2026-11-24T06:00:00Z',
      outcome: 'denied',
      bytes: 1000,
      records: 9,
      task: { id: 't-1', declared_actions: ['mail.search'] },
    });
    modelFeatures([], denied, row, 0);
    // 06:00 UTC is a quarter of the day: sin = 1, cos = 0, each shifted into 0..1.
    expect(row[column('event.hour_sin')]).toBeCloseTo(1, 6);
    expect(row[column('event.hour_cos')]).toBeCloseTo(0.5, 6);
    expect(row[column('event.log_bytes')]).toBeCloseTo(Math.log(1001) / 20, 6);
    expect(row[column('event.log_records')]).toBeCloseTo(Math.log(10) / 10, 6);
    expect(row[column('event.outcome_failure')]).toBe(0);
    expect(row[column('event.outcome_denied')]).toBe(1);
    expect(row[column('event.has_task')]).toBe(1);
    expect(row[column('event.action_undeclared')]).toBe(1);

    modelFeatures([], event({ time: '2026-11-24T18:00:00Z', task_id: 't-2' }), row, 0);
    expect(row[column('event.hour_sin')]).toBeCloseTo(0, 6);
    expect(row[column('event.log_bytes')]).toBe(0);
    expect(row[column('event.outcome_denied')]).toBe(0);
    expect(row[column('event.has_task')]).toBe(1);
    expect(row[column('event.action_undeclared')]).toBe(0); // nothing declared: nothing to break
  });

  it('write only their own row of a batch and give the same row for the same input', () => {
    const batch = new Float32Array(3 * MODEL_FEATURE_COUNT).fill(-1);
    const findings: SignalFinding[] = [{ signal: 'hour_of_week', score: 0.4, reason: 'late' }];
    const late = event({ time: '2026-11-24T23:30:00Z', bytes: 52_000, outcome: 'failure' });
    modelFeatures(findings, late, batch, MODEL_FEATURE_COUNT);
    expect(Array.from(batch.subarray(0, MODEL_FEATURE_COUNT)).every((value) => value === -1)).toBe(true);
    expect(Array.from(batch.subarray(2 * MODEL_FEATURE_COUNT)).every((value) => value === -1)).toBe(true);
    const again = new Float32Array(MODEL_FEATURE_COUNT);
    modelFeatures(findings, late, again, 0);
    expect(Array.from(batch.subarray(MODEL_FEATURE_COUNT, 2 * MODEL_FEATURE_COUNT))).toEqual(Array.from(again));
  });
});
