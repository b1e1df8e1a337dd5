// Whole-agent scenarios through scoreAndLearn: the behaviours the pipeline relies on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SCORING_OPTIONS, type EventScore, scoreAndLearn } from '../../../src/detect/score-event.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { type AgentProfile, createProfile, profileFromJson, profileToJson } from '../../../src/profile/agent-profile.js';
import { hashText } from '../../../src/profile/sketches/hash.js';
import { topKCount } from '../../../src/profile/sketches/top-k-counters.js';
import { auditEvent, generateTraffic, HOUR, mailAssistantSpec, MINUTE, WEEK } from './fixtures/agent-traffic.js';

function runAll(profile: AgentProfile, events: AuditEvent[]): EventScore[] {
  return events.map((event) => scoreAndLearn(profile, event));
}

function profileAfter(events: AuditEvent[]): AgentProfile {
  const profile = createProfile(events[0] as AuditEvent);
  runAll(profile, events);
  return profile;
}

/** A week of the mail assistant (office hours 3/min, otherwise 0.5/min), ending on a Monday morning. */
const learningWeek = generateTraffic(mailAssistantSpec({ durationMs: WEEK + 10 * HOUR }));
const attackStartMs = (learningWeek.at(-1) as AuditEvent).timeMs + 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe('scoreAndLearn', () => {
  it('scores nothing and learns everything while the profile warms up', () => {
    const profile = createProfile(learningWeek[0] as AuditEvent);
    const scores = runAll(profile, learningWeek.slice(0, DEFAULT_SCORING_OPTIONS.warmupEvents));
    expect(scores.every((score) => score.risk === 0 && score.reasons.length === 0)).toBe(true);
    expect(profile.eventsLearned).toBe(DEFAULT_SCORING_OPTIONS.warmupEvents);
    expect(profile.eventsSeen).toBe(DEFAULT_SCORING_OPTIONS.warmupEvents);
  });

  it("keeps the agent's normal traffic below 0.3 for at least 99% of events", () => {
    const twoWeeks = generateTraffic(mailAssistantSpec({ durationMs: 2 * WEEK }));
    const profile = createProfile(twoWeeks[0] as AuditEvent);
    const risks = runAll(profile, twoWeeks).map((score) => score.risk);
    const secondWeek = risks.slice(Math.floor(risks.length / 2));
    expect(risks.filter((risk) => risk >= 0.3).length / risks.length).toBeLessThan(0.01);
    expect(secondWeek.filter((risk) => risk >= 0.3).length / secondWeek.length).toBeLessThan(0.01);
    expect(profile.eventsLearned / profile.eventsSeen).toBeGreaterThan(0.99);
  });

  it('flags 20× the usual rate with new actions at risk ≥ 0.8, naming the rate and the action', () => {
    const profile = profileAfter(learningWeek);
    const attack = generateTraffic(
      mailAssistantSpec({
        seed: 666,
        idPrefix: 'attack',
        startMs: attackStartMs,
        durationMs: 5 * MINUTE,
        perMinute: () => 60,
        actions: [
          ['mail.read', 2],
          ['payments.refund', 1],
          ['admin.export_all', 1],
        ],
      }),
    );
    const scores = runAll(profile, attack);
    // Once the short window has filled (~15 s at 1 call/s), every attack call is flagged.
    const settled = attack.map((event, i) => ({ event, score: scores[i] as EventScore })).filter(({ event }) => event.timeMs >= attackStartMs + 20_000);
    expect(settled.length).toBeGreaterThan(200);
    for (const { score } of settled) {
      expect(score.risk).toBeGreaterThanOrEqual(0.8);
      expect(score.reasons[0]?.signal).toBe('event_rate');
      expect(score.reasons[0]?.reason).toMatch(/^\d+\.\d calls\/min over the last minute; usual \d\.\d\/min when active$/);
    }
    const refund = settled.find(({ event }) => event.action === 'payments.refund')?.score;
    // The rate, the new action, and the new step it makes in the session's workflow.
    expect(refund?.reasons.map((reason) => reason.signal)).toEqual(['event_rate', 'action_frequency', 'workflow']);
    expect(refund?.reasons[1]?.reason).toMatch(
      /^action payments\.refund (never seen before for this agent \(\d[\d,]* actions seen, \d+ distinct\)|is rare for this agent: about 1 of the last [\d,]+ actions)$/,
    );
  });

  it('flags a token replayed from another network by another client, naming both', () => {
    const profile = profileAfter(learningWeek);
    const last = learningWeek.at(-1) as AuditEvent;
    const replay = {
      ...last,
      id: 'replay',
      time: new Date(attackStartMs).toISOString(),
      timeMs: attackStartMs,
      source: { ip: '203.0.113.7', user_agent: 'python-requests/2.31' },
    };
    const score = scoreAndLearn(profile, replay);
    expect(score.risk).toBeGreaterThanOrEqual(0.5);
    expect(score.reasons.map((reason) => reason.signal)).toEqual(['context_novelty', 'token_context']);
    expect(score.reasons[1]?.reason).toMatch(
      new RegExp(`^token ${last.token?.id} used from 203\\.0\\.113\\.0/24, another network than it was first used from`),
    );
  });

  it("flags an action outside its task's declared actions on that alone", () => {
    const profile = profileAfter(learningWeek);
    const last = learningWeek.at(-1) as AuditEvent;
    const offTask = {
      ...last,
      id: 'off-task',
      timeMs: attackStartMs,
      action: 'mail.send',
      task: { id: 't-9', declared_actions: ['mail.read', 'mail.search'] },
    };
    const score = scoreAndLearn(profile, offTask);
    expect(score.risk).toBeGreaterThanOrEqual(0.8);
    expect(score.reasons[0]?.reason).toBe('action mail.send is outside the actions task t-9 declared: mail.read, mail.search');
  });

  it('flags an agent that wakes after 12 days of silence from a new network', () => {
    const profile = profileAfter(learningWeek);
    const last = learningWeek.at(-1) as AuditEvent;
    const wakeMs = last.timeMs + 12 * 24 * HOUR;
    const zombie = { ...last, id: 'zombie', timeMs: wakeMs, token: undefined, source: { ip: '198.51.100.20', user_agent: 'agent-runtime/1.2' } };
    const score = scoreAndLearn(profile, zombie);
    expect(score.risk).toBeGreaterThanOrEqual(0.5);
    expect(score.reasons.map((reason) => reason.signal)).toEqual(['dormancy', 'context_novelty']);
    // This agent calls every few minutes day and night: its longest usual gap is minutes.
    expect(score.reasons[0]?.reason).toMatch(/^first call after 12 days of silence; this agent's longest usual gap is \d+ min$/);
  });

  it('does not let a flagged burst into the baseline', () => {
    const profile = profileAfter(learningWeek);
    const learnedBefore = profile.eventsLearned;
    const burst = Array.from({ length: 120 }, (_, i) =>
      auditEvent({ id: `burst-${i}`, agentId: 'agent-mail-7', timeMs: attackStartMs + i * 500, action: 'payments.refund', ip: '10.1.2.3' }),
    );
    const scores = runAll(profile, burst);
    const flagged = scores.filter((score) => score.risk >= DEFAULT_SCORING_OPTIONS.learnBelowRisk).length;
    expect(flagged).toBeGreaterThan(100);
    expect(profile.eventsLearned - learnedBefore).toBe(burst.length - flagged);
    expect(profile.eventsSeen).toBe(learningWeek.length + burst.length);
    // Only the calls learned before the rate gave the burst away were counted for the action.
    expect(topKCount(profile.signals.action_frequency.actionCounts, hashText('payments.refund'))).toBe(burst.length - flagged);
  });

  it('does not flag new resource ids for an agent that touches a new document on every call', () => {
    const spec = mailAssistantSpec({ resource: (_random, i) => ({ type: 'doc', id: `drive/doc-${i}` }) });
    const events = generateTraffic({ ...spec, durationMs: 2 * WEEK });
    const profile = createProfile(events[0] as AuditEvent);
    const scores = runAll(profile, events);
    expect(scores.some((score) => score.reasons.some((reason) => reason.signal === 'resource_novelty'))).toBe(false);
  });

  it('builds the same state from a week replayed compressed, checkpointed and interleaved with another agent', () => {
    const lived = profileAfter(learningWeek);

    // The replay runs against a different machine clock (event time, not clock), restores from
    // a checkpoint every 1,000 events, and shares the run with another agent's events.
    vi.useFakeTimers({ now: new Date('2031-01-01T00:00:00Z') });
    const other = generateTraffic(mailAssistantSpec({ agentId: 'agent-other', seed: 3, durationMs: WEEK }));
    let replayed = createProfile(learningWeek[0] as AuditEvent);
    const otherProfile = createProfile(other[0] as AuditEvent);
    learningWeek.forEach((event, i) => {
      scoreAndLearn(replayed, event);
      const interleaved = other[i];
      if (interleaved) scoreAndLearn(otherProfile, interleaved);
      if (i % 1000 === 999) replayed = profileFromJson(profileToJson(replayed));
    });
    expect(profileToJson(replayed)).toBe(profileToJson(lived));
  });

  it('keeps sub-threshold surprises as one weak-evidence number, not as findings', () => {
    const profile = profileAfter(learningWeek);
    const last = learningWeek.at(-1) as AuditEvent;
    // An ordinary next call, a little larger than the median: the volume detectors are a little
    // surprised (surprise under 2, score under 0.001), which names nothing.
    const score = scoreAndLearn(profile, { ...last, id: 'next', timeMs: last.timeMs + MINUTE, bytes: (last.bytes ?? 0) * 3 });
    expect(score.reasons).toEqual([]);
    expect(score.weakEvidence).toBeGreaterThan(0);
    // At most one unit per detector.
    expect(score.weakEvidence).toBeLessThanOrEqual(14);
  });

  it('tolerates out-of-order events without moving time backwards', () => {
    const profile = profileAfter(learningWeek);
    const newest = profile.lastEventMs;
    const late = auditEvent({
      id: 'late',
      agentId: 'agent-mail-7',
      timeMs: newest - 10 * MINUTE,
      // A call of the agent's last session (its calls always carry one; workflow flags calls without).
      sessionId: learningWeek.at(-1)?.session_id,
      action: 'mail.read',
      ip: '10.1.2.3',
      resource: { type: 'mailbox', id: 'u-1/inbox' },
      bytes: 12_000,
      records: 3,
    });
    const score = scoreAndLearn(profile, late);
    expect(score.risk).toBeLessThan(0.3);
    expect(profile.lastEventMs).toBe(newest);
    expect(profile.signals.event_rate.latestMs).toBe(newest);
    expect(profile.eventsSeen).toBe(learningWeek.length + 1);
  });

  it('honours custom options: a lower learnBelowRisk keeps more out of the baseline', () => {
    const strict = { learnBelowRisk: 0.01, warmupEvents: 10 };
    const profile = createProfile(learningWeek[0] as AuditEvent);
    for (const event of learningWeek) scoreAndLearn(profile, event, strict);
    const relaxed = profileAfter(learningWeek);
    expect(profile.eventsLearned).toBeLessThan(relaxed.eventsLearned);
  });
});
