import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { usualPacePerMinute } from '../../../src/detect/event-rate.js';
import { DEFAULT_SCORING_OPTIONS, scoreAndLearn } from '../../../src/detect/score-event.js';
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { type AgentProfile, createProfile } from '../../../src/profile/agent-profile.js';
import { baselineInUse, buildPeerBaselines, inPeerPhase, peerComparison } from '../../../src/profile/peer-baselines.js';
import { hashText } from '../../../src/profile/sketches/hash.js';
import { DAY, generateTraffic, mailAssistantSpec, MINUTE, WEEK } from '../detect/fixtures/agent-traffic.js';

function livedProfile(events: AuditEvent[]): AgentProfile {
  const profile = createProfile(events[0] as AuditEvent);
  for (const event of events) scoreAndLearn(profile, event);
  return profile;
}

/** Four mail assistants that lived 8 days, and one that lived a day. */
const mature = [1, 2, 3, 4].map((seed) => livedProfile(generateTraffic(mailAssistantSpec({ agentId: `mail-${seed}`, seed, durationMs: 8 * DAY }))));
const young = livedProfile(generateTraffic(mailAssistantSpec({ agentId: 'mail-young', seed: 9, durationMs: DAY })));
const peers = buildPeerBaselines([...mature, young]);
const START = (mature[0] as AgentProfile).lastEventMs + DAY;

/** A new email assistant's first calls, each moving `bytes`. */
function newcomerCalls(count: number, bytes: number, action = 'mail.read'): AuditEvent[] {
  return generateTraffic(mailAssistantSpec({ agentId: 'mail-new', seed: 77, startMs: START, durationMs: WEEK, medianBytes: bytes }))
    .slice(0, count)
    .map((event) => ({ ...event, action, bytes }));
}

describe('buildPeerBaselines', () => {
  it('summarises the mature agents of each type and owner, and the fleet, by medians', () => {
    const group = peers.byType.get('email-assistant');
    expect(group?.basis).toBe('peers of type email-assistant');
    expect(group?.summary.agents).toBe(4); // the one-day agent is not mature
    expect(group?.summary.usualPacePerMinute).toBeCloseTo(median(mature.map((profile) => usualPacePerMinute(profile.signals.event_rate))), 12);
    const readShare = group?.summary.actionShares[group.summary.actionKeys.indexOf(hashText('mail.read'))] ?? 0;
    expect(readShare).toBeGreaterThan(0.45); // mail.read is half of every agent's calls
    expect(readShare).toBeLessThan(0.55);
    expect(Math.expm1(group?.summary.bytes?.medianLog ?? 0)).toBeGreaterThan(10_000); // ~12 KB a call
    expect(Math.expm1(group?.summary.bytes?.medianLog ?? 0)).toBeLessThan(14_500);
    expect(peers.byOwner.get('team-support')?.basis).toBe('peers owned by team-support');
    expect(peers.fleet?.basis).toBe('the fleet');
  });

  it('looks for peers of the same type, then the same owner, then the fleet', () => {
    expect(peerComparison(peers, 'email-assistant', 'team-x')?.basis).toBe('peers of type email-assistant');
    expect(peerComparison(peers, 'crm-agent', 'team-support')?.basis).toBe('peers owned by team-support');
    expect(peerComparison(peers, 'crm-agent', 'team-x')?.basis).toBe('the fleet');
    expect(peerComparison(buildPeerBaselines(mature.slice(0, 2)), 'email-assistant', undefined)).toBeUndefined(); // fewer than 3 agents
  });
});

describe('scoreAndLearn with peers', () => {
  it("scores a new agent's first calls against its peers and says so; without peers nothing is scored yet", () => {
    const exfil = newcomerCalls(5, 4_000_000_000);
    const withPeers = createProfile(exfil[0] as AuditEvent);
    const scores = exfil.map((event) => scoreAndLearn(withPeers, event, { ...DEFAULT_SCORING_OPTIONS, peers }));
    for (const score of scores) {
      expect(score.risk).toBe(1);
      expect(score.reasons[0]?.reason).toBe('4.0 GB transferred in one call; usual median 12 KB (compared with peers of type email-assistant)');
    }
    const withoutPeers = createProfile(exfil[0] as AuditEvent);
    expect(exfil.map((event) => scoreAndLearn(withoutPeers, event).risk)).toEqual([0, 0, 0, 0, 0]);
  });

  it('names an action none of its peers uses', () => {
    const profile = createProfile(newcomerCalls(1, 12_000)[0] as AuditEvent);
    const [refund] = newcomerCalls(1, 12_000, 'payments.refund');
    const score = scoreAndLearn(profile, refund as AuditEvent, { ...DEFAULT_SCORING_OPTIONS, peers });
    expect(score.reasons.find((reason) => reason.signal === 'action_frequency')?.reason).toBe(
      'action payments.refund: not among the usual actions of its peers (compared with peers of type email-assistant)',
    );
  });

  it("never keeps an event out of the agent's own baseline on the peers' word alone, and hands over as it learns", () => {
    // An agent that legitimately moves 40 MB a call, 3,000× its peers.
    const calls = newcomerCalls(200, 40_000_000);
    const profile = createProfile(calls[0] as AuditEvent);
    const options = { ...DEFAULT_SCORING_OPTIONS, peers };
    const scores = calls.map((event) => scoreAndLearn(profile, event, options));
    expect(profile.eventsLearned).toBe(200);
    const bytesReason = (i: number) => scores[i]?.reasons.find((reason) => reason.signal === 'bytes_volume')?.reason;
    expect(bytesReason(0)).toMatch(/\(compared with peers of type email-assistant\)$/);
    expect(bytesReason(40)).toMatch(/\(compared with peers of type email-assistant, \d+%, and its own history, \d+%\)$/);
    // Its own sample is full (64 sizes): its own baseline alone, and 40 MB is its usual.
    expect(bytesReason(199)).toBeUndefined();
    expect(inPeerPhase(profile)).toBe(true); // still young for the other signals
  });

  it('stops looking to peers after 1,000 learned events and a week of history', () => {
    const lived = mature[0] as AgentProfile;
    expect(lived.eventsLearned).toBeGreaterThan(1000);
    expect(inPeerPhase(lived)).toBe(false);
    expect(inPeerPhase({ ...lived, firstSeenMs: lived.lastEventMs - 6 * DAY })).toBe(true);
    expect(MINUTE).toBe(60_000);
  });
});

describe('baselineInUse', () => {
  it('says a mature agent is scored against its own baseline, a young one against its closest peers, or its own young one when there are none', () => {
    expect(baselineInUse(mature[0] as AgentProfile, peers)).toEqual({ baseline: 'own', peerGroup: '' });
    expect(baselineInUse(young, peers)).toEqual({ baseline: 'peers', peerGroup: 'peers of type email-assistant' });
    // Two mature agents are not a peer group (3 needed), and no refresh has run: no peers either way.
    expect(baselineInUse(young, buildPeerBaselines(mature.slice(0, 2)))).toEqual({ baseline: 'warming_up', peerGroup: '' });
    expect(baselineInUse(young, undefined)).toEqual({ baseline: 'warming_up', peerGroup: '' });
  });
});
