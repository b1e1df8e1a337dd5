import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_NAMES, type FeatureEvent, FeatureExtractor } from '../../../src/evaluate/features.js';

const START_MS = Date.UTC(2026, 10, 2, 9);

function event(fields: Partial<FeatureEvent> & { time: number }): FeatureEvent {
  return {
    agent_id: 'a',
    action: 'mail.read',
    resource_type: 'mailbox',
    resource_id: 'u-1',
    source_ip: '10.0.0.1',
    outcome: 'success',
    bytes: 1000,
    records: 1,
    ...fields,
  };
}

function featuresOf(extractor: FeatureExtractor, fields: Partial<FeatureEvent> & { time: number }): Record<string, number> {
  const into = new Float64Array(FEATURE_COUNT);
  extractor.extract(event(fields), into, 0);
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, into[i] as number]));
}

describe('FeatureExtractor', () => {
  it('describes a first event as new on every key, at the usual rate', () => {
    const features = featuresOf(new FeatureExtractor(), { time: START_MS, outcome: 'denied', bytes: Math.E - 1, records: 0 });
    expect(features).toEqual({
      rate_log_ratio: 0,
      action_new: 1,
      action_share: 0,
      resource_new: 1,
      source_ip_new: 1,
      hour_of_week_share: 0,
      failure: 1,
      log_bytes: 1,
      log_records: 0,
      log_distinct_resources_5min: Math.log(2),
    });
  });

  it('describes an event against the agent history before it', () => {
    const extractor = new FeatureExtractor();
    // Three calls a minute apart: mail.read twice, then mail.send on a second mailbox.
    featuresOf(extractor, { time: START_MS });
    featuresOf(extractor, { time: START_MS + 60_000 });
    const third = featuresOf(extractor, { time: START_MS + 120_000, action: 'mail.send', resource_id: 'u-2' });
    expect(third).toMatchObject({ action_new: 1, action_share: 0, resource_new: 1, source_ip_new: 0, hour_of_week_share: 1 });
    expect(third.log_distinct_resources_5min).toBeCloseTo(Math.log(3), 6);
    const fourth = featuresOf(extractor, { time: START_MS + 180_000 });
    expect(fourth).toMatchObject({ action_new: 0, action_share: 2 / 3, resource_new: 0 });
  });

  it('forgets resources older than five minutes from the distinct count', () => {
    const extractor = new FeatureExtractor();
    for (let i = 0; i < 4; i++) featuresOf(extractor, { time: START_MS + i * 1000, resource_id: `doc-${i}` });
    expect(featuresOf(extractor, { time: START_MS + 10 * 60_000, resource_id: 'doc-0' }).log_distinct_resources_5min).toBeCloseTo(Math.log(2), 6);
  });

  it('reads a burst as a rate far above the agent usual', () => {
    const extractor = new FeatureExtractor();
    for (let i = 0; i < 200; i++) featuresOf(extractor, { time: START_MS + i * 60_000 });
    let last = featuresOf(extractor, { time: START_MS + 200 * 60_000 });
    for (let i = 1; i <= 30; i++) last = featuresOf(extractor, { time: START_MS + 200 * 60_000 + i * 1000 });
    // ~25 calls in the last minute against a usual ~1.6 (itself pulled up by the burst it learns from).
    expect(last.rate_log_ratio).toBeGreaterThan(2.5);
  });

  it('keeps agents apart', () => {
    const extractor = new FeatureExtractor();
    featuresOf(extractor, { time: START_MS, agent_id: 'a' });
    expect(featuresOf(extractor, { time: START_MS + 1000, agent_id: 'b' })).toMatchObject({ action_new: 1, resource_new: 1, source_ip_new: 1 });
  });
});
