import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreAndLearn } from '../../../src/detect/score-event.js';
import { WardenError } from '../../../src/errors.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { createProfile, profileFromJson, profileToJson, summarizeProfile } from '../../../src/profile/agent-profile.js';
import { DAY, generateTraffic, mailAssistantSpec, WEEK } from '../detect/fixtures/agent-traffic.js';
import { heavyAgentEvents } from '../detect/fixtures/heavy-agent.js';

const week = generateTraffic(mailAssistantSpec({ durationMs: WEEK }));
const first = week[0] as AuditEvent;

function learnedProfile(events: AuditEvent[] = week) {
  const profile = createProfile(events[0] as AuditEvent);
  for (const event of events) scoreAndLearn(profile, event);
  return profile;
}

function expectCorrupt(json: string, message: RegExp) {
  try {
    profileFromJson(json);
  } catch (error) {
    expect(error).toBeInstanceOf(WardenError);
    expect((error as WardenError).code).toBe('BASELINE_CORRUPT');
    expect((error as WardenError).retriable).toBe(false);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('profileFromJson accepted a corrupt profile');
}

describe('createProfile', () => {
  it("takes the agent's identity from its first event and has observed nothing yet", () => {
    const profile = createProfile(first);
    expect(profile).toMatchObject({
      agentId: 'agent-mail-7',
      agentType: 'email-assistant',
      owner: 'team-support',
      eventsSeen: 0,
      eventsLearned: 0,
      firstSeenMs: first.timeMs,
      lastEventMs: first.timeMs,
    });
    expect(Object.keys(profile.signals)).toEqual([
      'event_rate',
      'action_frequency',
      'resource_novelty',
      'context_novelty',
      'hour_of_week',
      'outcome_failures',
      'bytes_volume',
      'records_volume',
      'fan_out',
      'workflow',
      'token_context',
      'declared_intent',
      'dormancy',
      'repeated_call',
    ]);
  });

  it('leaves out type and owner when the event has none', () => {
    const profile = createProfile({ ...first, agent: { id: 'bare' } });
    expect('agentType' in profile || 'owner' in profile).toBe(false);
  });
});

describe('profile JSON', () => {
  it('round-trips a learned profile exactly, and the restored one scores the next events the same', () => {
    const profile = learnedProfile();
    const json = profileToJson(profile);
    const restored = profileFromJson(json);
    expect(restored).toStrictEqual(profile);
    expect(profileToJson(restored)).toBe(json);
    const next = generateTraffic(mailAssistantSpec({ seed: 99, startMs: first.timeMs + WEEK, durationMs: DAY }));
    expect(next.map((event) => scoreAndLearn(restored, event))).toEqual(next.map((event) => scoreAndLearn(profile, event)));
    expect(profileToJson(restored)).toBe(profileToJson(profile));
  });

  it('is deterministic: the same events in the same order give the same JSON', () => {
    expect(profileToJson(learnedProfile())).toBe(profileToJson(learnedProfile()));
  });

  it('refuses text that is not JSON', () => {
    expectCorrupt('{"agentId": "a",', /agent profile is not valid JSON/);
  });

  it('refuses another format version', () => {
    const json = JSON.parse(profileToJson(createProfile(first)));
    expectCorrupt(JSON.stringify({ ...json, formatVersion: 7 }), /format version 7; this Warden reads version 1/);
  });

  it('names the field that is wrong', () => {
    const json = JSON.parse(profileToJson(learnedProfile()));
    json.eventsSeen = -3;
    expectCorrupt(JSON.stringify(json), /agent profile of agent agent-mail-7 is corrupt: eventsSeen: /);
  });

  it('catches a truncated sketch deep inside a signal', () => {
    const json = JSON.parse(profileToJson(learnedProfile()));
    json.signals.resource_novelty.seenKeys = json.signals.resource_novelty.seenKeys.slice(0, 40);
    expectCorrupt(JSON.stringify(json), /signals\.resource_novelty\.seenKeys: expected a rotating bloom of 2 × 1024 bits/);
  });

  it('names a number out of range inside the packed numbers of a signal', () => {
    const json = JSON.parse(profileToJson(learnedProfile()));
    const numbers = Buffer.from(json.signals.outcome_failures.n, 'base64');
    numbers.writeDoubleLE(-1, 8); // recentCalls, the second number field
    json.signals.outcome_failures.n = numbers.toString('base64');
    expectCorrupt(JSON.stringify(json), /signals\.outcome_failures\.n\.recentCalls: Too small/);
  });

  it('starts a signal fresh when a checkpoint predates its detector', () => {
    const profile = learnedProfile();
    const json = JSON.parse(profileToJson(profile));
    delete json.signals.hour_of_week;
    const restored = profileFromJson(JSON.stringify(json));
    expect(restored.signals.hour_of_week.learnedEvents).toBe(0);
    expect(restored.signals.event_rate).toStrictEqual(profile.signals.event_rate);
  });
});

describe('checkpoints written by Warden 0.1.0', () => {
  // An 8-day mail assistant checkpointed before compact encoding: every number a JSON field,
  // blooms and top-K counters as objects, 16-bit hour bins, and the exact-IP source_ip_novelty slice.
  const legacyJson = readFileSync(new URL('./fixtures/checkpoint-written-by-warden-0.1.0.json', import.meta.url), 'utf8').trim();

  it('are restored: the same baseline numbers, new signals starting fresh, the retired one dropped', () => {
    const restored = profileFromJson(legacyJson);
    // As summarised by Warden 0.1.0 itself from this checkpoint.
    expect(summarizeProfile(restored)).toEqual({
      eventsSeen: 14_741,
      eventsLearned: 14_741,
      distinctActions: 5,
      usualEventsPerMinute: 1.2150722553207054,
      failureRate: 0.0225591096828608,
      medianBytes: 11_905,
    });
    const legacy = JSON.parse(legacyJson);
    expect(restored.signals.event_rate.recentCount).toBe(legacy.signals.event_rate.recentCount);
    expect(restored.signals.resource_novelty.seenKeys.currentKeys).toBe(legacy.signals.resource_novelty.seenKeys.currentKeys);
    expect(restored.signals.outcome_failures.denialWeight).toBe(0); // a field added since
    expect(restored.signals.workflow.learnedEvents).toBe(0);
    expect('source_ip_novelty' in restored.signals).toBe(false);
  });

  it('are written back compactly and then round-trip exactly', () => {
    const restored = profileFromJson(legacyJson);
    const json = profileToJson(restored);
    const legacySlices = JSON.parse(legacyJson).signals as Record<string, unknown>;
    const slices = JSON.parse(json).signals as Record<string, unknown>;
    for (const name of ['event_rate', 'action_frequency', 'resource_novelty', 'hour_of_week', 'outcome_failures', 'bytes_volume', 'records_volume']) {
      expect(JSON.stringify(slices[name]).length).toBeLessThan(JSON.stringify(legacySlices[name]).length);
    }
    expect(profileToJson(profileFromJson(json))).toBe(json);
    const hourWeights = restored.signals.hour_of_week.hourWeights;
    expect(Math.max(...hourWeights)).toBeLessThanOrEqual(0xfff); // 16-bit bins halved to fit 12 bits
    expect(restored.signals.hour_of_week.totalWeight).toBe(hourWeights.reduce((sum, bin) => sum + bin, 0));
  });
});

describe('summarizeProfile', () => {
  it('reports the baseline in numbers an analyst can check', () => {
    const summary = summarizeProfile(learnedProfile());
    // The mail assistant: 3/min in office hours, 0.5/min otherwise (≈ 1.24/min over a week),
    // five actions, 2% failures, ~12 KB per call.
    expect(summary.eventsSeen).toBe(week.length);
    expect(summary.eventsLearned).toBe(week.length);
    expect(summary.distinctActions).toBe(5);
    expect(summary.usualEventsPerMinute).toBeGreaterThan(1.1);
    expect(summary.usualEventsPerMinute).toBeLessThan(1.4);
    expect(summary.failureRate).toBeGreaterThan(0.01);
    expect(summary.failureRate).toBeLessThan(0.035);
    expect(summary.medianBytes).toBeGreaterThan(10_000);
    expect(summary.medianBytes).toBeLessThan(14_500);
  });

  it('is all zeros before any event', () => {
    expect(summarizeProfile(createProfile(first))).toEqual({
      eventsSeen: 0,
      eventsLearned: 0,
      distinctActions: 0,
      usualEventsPerMinute: 0,
      failureRate: 0,
      medianBytes: 0,
    });
  });
});

describe('profile size', () => {
  it('stays within 4 KB after 100k events with thousands of distinct actions, resources, networks, users and tokens', () => {
    const profile = learnedProfile(heavyAgentEvents());
    expect(profile.eventsSeen).toBe(100_000);
    expect(summarizeProfile(profile).distinctActions).toBeGreaterThan(1000);
    expect(profileToJson(profile).length).toBeLessThanOrEqual(4096);
  });
});
