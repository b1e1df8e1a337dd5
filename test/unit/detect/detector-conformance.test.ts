// The checks every registered detector passes (like river/checks): explicit warm-up,
// determinism, a lossless JSON round trip of its state, and better-than-chance ranking of an
// injected anomaly. A new detector gets all of this by being in the registry.
import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../src/detect/detector.js';
import { DETECTORS } from '../../../src/detect/registry.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { learnEvents, observeAndScore } from './fixtures/drive-detector.js';
import { labelledFixture, rankAuc } from './fixtures/labelled-anomalies.js';

const fixture = labelledFixture();

function train(detector: Detector<unknown>, events: AuditEvent[]): unknown {
  return learnEvents(detector, detector.initialState(), events);
}

/** Observes and scores each event without learning it (warming up counts as score 0). */
function scoreAll(detector: Detector<unknown>, state: unknown, events: AuditEvent[]): number[] {
  return events.map((event) => {
    const verdict = observeAndScore(detector, state, event);
    return 'warmingUp' in verdict ? 0 : verdict.score;
  });
}

function stateJson(detector: Detector<unknown>, state: unknown): string {
  return JSON.stringify(detector.stateSchema.encode(state));
}

function restore(detector: Detector<unknown>, json: string): unknown {
  return detector.stateSchema.decode(JSON.parse(json));
}

describe.each(DETECTORS.map((detector) => [detector.name, detector] as const))('detector %s', (_name, detector) => {
  it('reports warmingUp with no evidence and with only a few learned events', () => {
    const fresh = detector.initialState();
    expect(detector.scoreOne(fresh, fixture.normal[0] as AuditEvent)).toEqual({ warmingUp: true });
    // Four: dormancy's warm-up is 5 calls (a zombie may have lived one session); the others need more.
    const young = train(detector, fixture.training.slice(0, 4));
    expect(detector.scoreOne(young, fixture.training[4] as AuditEvent)).toEqual({ warmingUp: true });
  });

  it('is deterministic: the same events give the same state JSON and the same scores', () => {
    const first = train(detector, fixture.training);
    const second = train(detector, fixture.training);
    expect(stateJson(detector, second)).toBe(stateJson(detector, first));
    const events = [...fixture.normal, ...fixture.anomalous];
    expect(scoreAll(detector, second, events)).toEqual(scoreAll(detector, first, events));
  });

  it('round-trips its state through JSON without changing it or any later score', () => {
    const state = train(detector, fixture.training);
    const restored = restore(detector, stateJson(detector, state));
    expect(restored).toStrictEqual(state);
    const events = [...fixture.normal, ...fixture.anomalous];
    expect(scoreAll(detector, restored, events)).toEqual(scoreAll(detector, state, events));
    expect(stateJson(detector, restored)).toBe(stateJson(detector, state));
  });

  it('rejects a corrupt state instead of scoring with it', () => {
    const encoded = detector.stateSchema.encode(train(detector, fixture.training)) as Record<string, unknown>;
    const [firstKey] = Object.keys(encoded);
    expect(detector.stateSchema.safeDecode({ ...encoded, [firstKey as string]: 'not a number or sketch' }).success).toBe(false);
  });

  it('ranks the injected anomaly above normal traffic better than chance', () => {
    const state = train(detector, fixture.training);
    const normalScores = scoreAll(detector, state, fixture.normal);
    const anomalousScores = scoreAll(detector, state, fixture.anomalous);
    expect(rankAuc(anomalousScores, normalScores)).toBeGreaterThan(0.75);
    expect(Math.max(...anomalousScores)).toBeGreaterThan(Math.max(...normalScores));
  });
});

it('every detector has a unique name', () => {
  const names = DETECTORS.map((detector) => detector.name);
  expect(new Set(names).size).toBe(names.length);
});
