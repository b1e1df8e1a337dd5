// Action frequency: is this action new, or rare, for this agent?
//
// Memory is bounded: a rotating bloom filter (2 × 512 bits) answers "seen before?" and
// Space-Saving top-32 counters answer "how often?", both keyed by a 32-bit hash of the action.
//
// A never-seen action is scored by how often this agent itself meets new actions: the share of
// learned events that introduced a new action, decayed over about the last 2,048 learned events
// (with +0.5/+1 smoothing). A stable agent (no new action in thousands of events) reaches p ≈
// 1/4,000, surprise 3.6, score 0.40: noticeable, but on its own below the default
// learnBelowRisk (0.5), so a legitimate new action is learned when it first appears alone
// instead of being flagged forever. With a rate burst or other signals it tips the risk over.
// A seen action is scored by the frequency mass of all tracked actions at most as common as it
// (plus the new-action share), so an agent with a long tail of rare actions is not flagged for
// using its tail.
import { z } from 'zod';
import type { PeerSummary } from '../profile/peer-baselines.js';
import { hashText } from '../profile/sketches/hash.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { bloomHas, bloomLearn, createRotatingBloom, type RotatingBloom, rotatingBloomSchema } from '../profile/sketches/rotating-bloom.js';
import {
  createTopKCounters,
  type TopKCounters,
  topKCount,
  topKCountersSchema,
  topKIncrement,
  topKMassAtMost,
  topKSmallestCount,
} from '../profile/sketches/top-k-counters.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, PEER_HANDOVER_EVENTS, unremarkable, WARMING_UP, WORDED_SCORE_MIN, ignoreObservation } from './detector.js';
import { surpriseToScore } from './surprise.js';
import { formatCount, formatPeerNote, formatShare } from './wording.js';

const SEEN_ACTIONS_BITS = 512;
/** Learned events over which the new-action share is remembered (decay 1 − 1/2048 per event). */
export const NOVELTY_MEMORY_EVENTS = 2048;
const NOVELTY_DECAY = 1 - 1 / NOVELTY_MEMORY_EVENTS;
/** A tracked action making up at least this share of recent actions is common: not scored. */
const COMMON_SHARE = 0.01;

export class ActionFrequencyState {
  seenActions: RotatingBloom = createRotatingBloom(SEEN_ACTIONS_BITS);
  actionCounts: TopKCounters = createTopKCounters();
  /** Decayed count of learned events whose action was new, and of all learned events. */
  newActionWeight = 0;
  learnedWeight = 0;
  learnedEvents = 0;
  /** Actions first seen so far (approximate: a bloom false positive misses one). */
  distinctActions = 0;
}

export const actionFrequencyDetector: Detector<ActionFrequencyState, 'action_frequency'> = {
  name: 'action_frequency',
  stateSchema: stateClassSchema(ActionFrequencyState, {
    seenActions: rotatingBloomSchema(SEEN_ACTIONS_BITS),
    actionCounts: topKCountersSchema,
    newActionWeight: z.number().finite().min(0),
    learnedWeight: z.number().finite().min(0),
    learnedEvents: z.number().int().min(0),
    distinctActions: z.number().int().min(0),
  }),

  initialState: () => new ActionFrequencyState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const key = hashText(event.action);
    const isNew = bloomLearn(state.seenActions, key);
    topKIncrement(state.actionCounts, key);
    state.newActionWeight = state.newActionWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
    state.learnedWeight = state.learnedWeight * NOVELTY_DECAY + 1;
    state.learnedEvents++;
    if (isNew) state.distinctActions++;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    const key = hashText(event.action);
    const newShare = newActionShare(state);
    if (!bloomHas(state.seenActions, key)) {
      const score = surpriseToScore(-Math.log10(newShare));
      if (score < WORDED_SCORE_MIN) return unremarkable(score);
      return {
        score,
        reason: `action ${event.action} never seen before for this agent (${formatCount(state.learnedEvents)} actions seen, ${formatCount(state.distinctActions)} distinct)`,
      };
    }
    const { actionCounts } = state;
    const count = topKCount(actionCounts, key) || topKSmallestCount(actionCounts);
    if (actionCounts.total === 0 || count >= COMMON_SHARE * actionCounts.total) return unremarkable(0);
    const asRareShare = Math.min(1, newShare + topKMassAtMost(actionCounts, count) / actionCounts.total);
    const score = surpriseToScore(-Math.log10(asRareShare));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    return {
      score,
      reason: `action ${event.action} is rare for this agent: about ${formatCount(count)} of the last ${formatCount(actionCounts.total)} actions`,
    };
  },

  // The chance of an action this rare is a mixture: own share × own weight + peers' share × the
  // rest, the own weight growing linearly to 1 over PEER_HANDOVER_EVENTS learned actions.
  scoreWithPeers(state, event, peers) {
    const ownWeight = state.learnedEvents < MIN_LEARNED_OBSERVATIONS ? 0 : Math.min(1, state.learnedEvents / PEER_HANDOVER_EVENTS);
    if (ownWeight >= 1) return actionFrequencyDetector.scoreOne(state, event);
    const key = hashText(event.action);
    const { summary } = peers;
    const peerSlot = summary.actionKeys.indexOf(key);
    const peerShare = peerSlot < 0 ? undefined : (summary.actionShares[peerSlot] ?? 0);
    const seenByAgent = bloomHas(state.seenActions, key);
    const peerWeight = 1 - ownWeight;
    const asRareShare = ownWeight * (ownWeight > 0 ? ownAsRareShare(state, key, seenByAgent) : 0) + peerWeight * peerAsRareShare(summary, peerShare);
    const score = surpriseToScore(-Math.log10(asRareShare));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const own = ownWeight > 0 ? `${seenByAgent ? 'rare' : 'new'} for this agent, and ` : '';
    const amongPeers = peerShare === undefined ? 'not among the usual actions of its peers' : `${formatShare(peerShare)} of its peers' actions`;
    return { score, reason: `action ${event.action}: ${own}${amongPeers}${formatPeerNote(peers.basis, peerWeight)}`, peerWeight };
  },
};

/** Share of this agent's actions at most as common as this one (1 when it is common, the new-action share when unseen). */
function ownAsRareShare(state: ActionFrequencyState, key: number, seen: boolean): number {
  const newShare = newActionShare(state);
  if (!seen) return newShare;
  const { actionCounts } = state;
  const count = topKCount(actionCounts, key) || topKSmallestCount(actionCounts);
  if (actionCounts.total === 0 || count >= COMMON_SHARE * actionCounts.total) return 1;
  return Math.min(1, newShare + topKMassAtMost(actionCounts, count) / actionCounts.total);
}

/** The same for the peer group: its common actions' shares, its long tail, and how often its agents meet new actions. */
function peerAsRareShare(summary: PeerSummary, peerShare: number | undefined): number {
  let trackedMass = 0;
  let asRareMass = 0;
  for (let i = 0; i < summary.actionShares.length; i++) {
    const share = summary.actionShares[i] ?? 0;
    trackedMass += share;
    if (peerShare !== undefined && share <= peerShare) asRareMass += share;
  }
  if (peerShare !== undefined && peerShare >= COMMON_SHARE) return 1;
  return Math.min(1, summary.newActionShare + Math.max(0, 1 - trackedMass) + asRareMass);
}

/** Smoothed share of learned events that brought an action this agent had not seen. */
export function newActionShare(state: ActionFrequencyState): number {
  return (state.newActionWeight + 0.5) / (state.learnedWeight + 1);
}
