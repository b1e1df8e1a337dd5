// Baselines of peer groups, for agents too new to have their own: "new agents borrow the
// baseline of their peer group (same agent.type, then owner, then fleet) and move to their own
// as evidence grows".
//
// A PeerBaselines is plain, immutable data built from mature profiles (buildPeerBaselines): per
// agent type, per owner and for the whole fleet, a PeerSummary of what the detectors that can
// compare with peers need — the usual pace, the common actions and how often agents meet new
// ones, the usual sizes. Whoever owns the profiles (the pipeline) rebuilds it now and then and
// passes it to scoreAndLearn through ScoringOptions.peers; detectors never see other agents'
// state, only these summaries, so scoring stays per agent and pure.
//
// Aggregation is robust: medians over the group's agents, and for spreads the within-agent
// spread plus the between-agent one (law of total variance for the pace; median MAD plus the
// MAD of the medians for sizes), so a new agent is compared with the range of its peers rather
// than with a single typical agent.
//
// Hand-over: peerComparison is only looked up while a profile is in its peer phase (fewer than
// PEER_HANDOVER_EVENTS learned events, or less than a week of history); each detector weighs the
// peers by how thin its own evidence still is (see scoreWithPeers in detector.ts).
import { newActionShare } from '../detect/action-frequency.js';
import { PACE_WARMUP_MS, paceVariance, usualPacePerMinute } from '../detect/event-rate.js';
import { PEER_HANDOVER_EVENTS } from '../detect/detector.js';
import { MIN_VOLUME_SAMPLES } from '../detect/robust-volume.js';
import { median as sampleMedian, medianAbsoluteDeviation as sampleMad } from 'simple-statistics';
import type { AgentProfile } from './agent-profile.js';
import type { RobustReservoir } from './sketches/robust-reservoir.js';
import { TOP_K_CAPACITY } from './sketches/top-k-counters.js';

/** As in event_rate: even a very bursty group's newcomer is flagged for a large enough burst. */
const MAX_PACE_DISPERSION = 25;

export interface SizeSummary {
  /** Median of log(1 + value) per call. */
  medianLog: number;
  /** Its spread: median absolute deviation on the same scale. */
  madLog: number;
}

export interface PeerSummary {
  /** Agents summarised. */
  agents: number;
  /** Usual short-window calls per minute when active (event_rate's usual pace), median over agents. */
  usualPacePerMinute: number;
  /** Variance / mean of that count across the group, within and between agents: ≥ 1. */
  paceDispersion: number;
  /** 32-bit hashes of the group's most common actions, most common first… */
  actionKeys: number[];
  /** …and each one's mean share of an agent's actions. */
  actionShares: number[];
  /** Median share of an agent's calls that brought an action new to that agent. */
  newActionShare: number;
  /** Bytes per call; undefined when no agent of the group reports bytes. */
  bytes: SizeSummary | undefined;
  records: SizeSummary | undefined;
}

/** A peer group as a detector sees it. */
export interface PeerComparison {
  summary: PeerSummary;
  /** Who the peers are, in reasons: "peers of type email-assistant", "peers owned by team-support", "the fleet". */
  basis: string;
}

export interface PeerBaselines {
  byType: ReadonlyMap<string, PeerComparison>;
  byOwner: ReadonlyMap<string, PeerComparison>;
  fleet: PeerComparison | undefined;
}

export interface PeerBaselineOptions {
  /** A group is used only with at least this many mature agents. Default 3. */
  minAgents: number;
  /** A profile is mature, and summarised, with at least this many learned events… Default PEER_HANDOVER_EVENTS. */
  minLearnedEvents: number;
  /** …spanning at least this long. Default a week (event_rate's own warm-up). */
  minHistoryMs: number;
}

const DEFAULT_OPTIONS: PeerBaselineOptions = { minAgents: 3, minLearnedEvents: PEER_HANDOVER_EVENTS, minHistoryMs: PACE_WARMUP_MS };

/** Summaries of every group (type, owner, fleet) with enough mature agents among `profiles`. */
export function buildPeerBaselines(profiles: Iterable<AgentProfile>, options: Partial<PeerBaselineOptions> = {}): PeerBaselines {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const byType = new Map<string, AgentProfile[]>();
  const byOwner = new Map<string, AgentProfile[]>();
  const fleet: AgentProfile[] = [];
  for (const profile of profiles) {
    if (profile.eventsLearned < settings.minLearnedEvents || profile.lastEventMs - profile.firstSeenMs < settings.minHistoryMs) continue;
    fleet.push(profile);
    if (profile.agentType !== undefined) pushTo(byType, profile.agentType, profile);
    if (profile.owner !== undefined) pushTo(byOwner, profile.owner, profile);
  }
  const comparisons = (groups: Map<string, AgentProfile[]>, basis: (name: string) => string) => {
    const result = new Map<string, PeerComparison>();
    for (const [name, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (members.length >= settings.minAgents) result.set(name, { summary: summarizePeers(members), basis: basis(name) });
    }
    return result;
  };
  return {
    byType: comparisons(byType, (type) => `peers of type ${type}`),
    byOwner: comparisons(byOwner, (owner) => `peers owned by ${owner}`),
    fleet: fleet.length >= settings.minAgents ? { summary: summarizePeers(fleet), basis: 'the fleet' } : undefined,
  };
}

/** The closest peer group with a summary: same type, else same owner, else the fleet. */
export function peerComparison(peers: PeerBaselines, agentType: string | undefined, owner: string | undefined): PeerComparison | undefined {
  return (agentType === undefined ? undefined : peers.byType.get(agentType)) ?? (owner === undefined ? undefined : peers.byOwner.get(owner)) ?? peers.fleet;
}

/**
 * Which baseline an agent is scored against, as the agents API reports it: `own` once mature;
 * while warming up, `peers` — a blend of `peerGroup`'s baseline and its own, moving to its own as
 * evidence grows — or `warming_up` when no peer group has enough mature agents (its own young
 * baseline only).
 */
export type BaselineInUse = { baseline: 'own'; peerGroup: '' } | { baseline: 'peers'; peerGroup: string } | { baseline: 'warming_up'; peerGroup: '' };

export function baselineInUse(profile: AgentProfile, peers: PeerBaselines | undefined): BaselineInUse {
  if (!inPeerPhase(profile)) return { baseline: 'own', peerGroup: '' };
  const comparison = peers && peerComparison(peers, profile.agentType, profile.owner);
  return comparison ? { baseline: 'peers', peerGroup: comparison.basis } : { baseline: 'warming_up', peerGroup: '' };
}

/** Whether a profile still looks to its peers at all (each detector then decides how much). */
export function inPeerPhase(profile: AgentProfile): boolean {
  return profile.eventsLearned < PEER_HANDOVER_EVENTS || profile.lastEventMs - profile.firstSeenMs < PACE_WARMUP_MS;
}

/** One group's summary from its mature profiles. */
export function summarizePeers(members: readonly AgentProfile[]): PeerSummary {
  const paces: number[] = [];
  const paceVariances: number[] = [];
  const newActionShares: number[] = [];
  const actionShareSums = new Map<number, number>();
  for (const profile of members) {
    paces.push(usualPacePerMinute(profile.signals.event_rate));
    paceVariances.push(paceVariance(profile.signals.event_rate));
    const actions = profile.signals.action_frequency;
    newActionShares.push(newActionShare(actions));
    const { keys, counts, total } = actions.actionCounts;
    if (total === 0) continue;
    keys.forEach((key, slot) => actionShareSums.set(key, (actionShareSums.get(key) ?? 0) + (counts[slot] ?? 0) / total));
  }
  const usualPace = median(paces);
  const betweenAgentsSpread = 1.4826 * medianAbsoluteDeviation(paces);
  const groupPaceVariance = median(paceVariances) + betweenAgentsSpread * betweenAgentsSpread;
  const commonActions = [...actionShareSums]
    .map(([key, shareSum]) => [key, shareSum / members.length] as const)
    .sort(([keyA, shareA], [keyB, shareB]) => shareB - shareA || keyA - keyB)
    .slice(0, TOP_K_CAPACITY);
  return {
    agents: members.length,
    usualPacePerMinute: usualPace,
    paceDispersion: usualPace > 0 ? Math.min(MAX_PACE_DISPERSION, Math.max(1, groupPaceVariance / usualPace)) : 1,
    actionKeys: commonActions.map(([key]) => key),
    actionShares: commonActions.map(([, share]) => share),
    newActionShare: median(newActionShares),
    bytes: summarizeSizes(members.map((profile) => profile.signals.bytes_volume.reservoir)),
    records: summarizeSizes(members.map((profile) => profile.signals.records_volume.reservoir)),
  };
}

function summarizeSizes(reservoirs: readonly RobustReservoir[]): SizeSummary | undefined {
  const usable = reservoirs.filter((reservoir) => reservoir.logSamples.length >= MIN_VOLUME_SAMPLES);
  if (usable.length === 0) return undefined;
  const medians = usable.map((reservoir) => reservoir.medianLog);
  return { medianLog: median(medians), madLog: median(usable.map((reservoir) => reservoir.madLog)) + medianAbsoluteDeviation(medians) };
}

function pushTo(groups: Map<string, AgentProfile[]>, name: string, profile: AgentProfile): void {
  const members = groups.get(name);
  if (members === undefined) groups.set(name, [profile]);
  else members.push(profile);
}

function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : sampleMedian([...values]);
}

function medianAbsoluteDeviation(values: readonly number[]): number {
  return values.length === 0 ? 0 : sampleMad([...values]);
}
