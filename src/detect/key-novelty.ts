// Shared shape of the "new key" detectors (resources, source IPs): is this key new for this
// agent, and is the agent meeting new keys faster than it usually does?
//
// The baseline is the agent's own novelty rate — the decayed share of its learned calls (about
// the last 2,048) that touched a key it had not seen — so an agent that opens a new document on
// every call has a share near 1 and is never flagged for a new document, while an agent with a
// fixed set of mailboxes is. Two tests, the larger surprise wins:
//   one new key:  p = novelty share (a stable agent bottoms out near 1/4,000: score ≈ 0.40, on
//                 its own below learnBelowRisk, so a legitimate new key is learned, not flagged forever);
//   a burst:      for a new key, new keys in the last minute (decayed count, every event) against
//                 Poisson(calls in the last minute × novelty share) — enumeration of many keys.
// "Seen" is a rotating bloom filter, so memory is bounded and keys unused for two generations
// are forgotten; the false-positive rate (≤ ~3%) only ever hides novelty, never invents it.
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { bloomHas, bloomLearn, createRotatingBloom, type RotatingBloom, rotatingBloomSchema } from '../profile/sketches/rotating-bloom.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { decayFactor, MINUTE_MS } from '../profile/time-decay.js';
import { defineEventMemo, type Detector, memoHolds, MIN_LEARNED_OBSERVATIONS, releaseMemo, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, surpriseToScore } from './surprise.js';
import { formatRate, formatShare } from './wording.js';

const NOVELTY_MEMORY_EVENTS = 2048;
const NOVELTY_DECAY = 1 - 1 / NOVELTY_MEMORY_EVENTS;
const RECENT_WINDOW_MS = MINUTE_MS;

export class KeyNoveltyState {
  seenKeys: RotatingBloom;
  /** Decayed count of learned calls that brought a new key, and of all learned calls with a key. */
  newKeyWeight = 0;
  keyedWeight = 0;
  learnedEvents = 0;
  /** Short window (time constant 1 min, every event): newest time, new-key calls, calls with a key. */
  latestMs = 0;
  recentNewKeys = 0;
  recentKeyedCalls = 0;

  // The last event's key (−1: none); see EventMemo.
  declare memoEvent: AuditEvent | undefined;
  declare memoEventMs: number;
  declare eventKey: number;

  /** The default size only serves restoring, which replaces `seenKeys` with the decoded bloom. */
  constructor(bitsPerGeneration = 32) {
    this.seenKeys = createRotatingBloom(bitsPerGeneration);
    defineEventMemo(this, { eventKey: NO_KEY });
  }
}

const NO_KEY = -1;

export interface KeyNoveltySpec<Name extends string> {
  name: Name;
  bitsPerGeneration: number;
  /** 32-bit hash of the event's key, or undefined when the event has none (then nothing is scored). */
  keyHash(event: AuditEvent): number | undefined;
  /** The key in words: "resource mailbox:u-123/inbox". */
  describeKey(event: AuditEvent): string;
  /** Plural noun for bursts: "resources". */
  keysNoun: string;
}

export function createKeyNoveltyDetector<Name extends string>(spec: KeyNoveltySpec<Name>): Detector<KeyNoveltyState, Name> {
  /** The event's key, hashed once for its three verbs. */
  const keyOf = (state: KeyNoveltyState, event: AuditEvent): number | undefined => {
    if (!memoHolds(state, event)) state.eventKey = spec.keyHash(event) ?? NO_KEY;
    return state.eventKey === NO_KEY ? undefined : state.eventKey;
  };
  return {
    name: spec.name,
    stateSchema: stateClassSchema(KeyNoveltyState, {
      seenKeys: rotatingBloomSchema(spec.bitsPerGeneration),
      newKeyWeight: z.number().finite().min(0),
      keyedWeight: z.number().finite().min(0),
      learnedEvents: z.number().int().min(0),
      latestMs: z.number().finite(),
      recentNewKeys: z.number().finite().min(0),
      recentKeyedCalls: z.number().finite().min(0),
    }),

    initialState: () => new KeyNoveltyState(spec.bitsPerGeneration),

    observeOne(state, event) {
      const key = keyOf(state, event);
      if (key === undefined) return;
      const atMs = Math.max(event.timeMs, state.latestMs);
      const decay = decayFactor(atMs - state.latestMs, RECENT_WINDOW_MS);
      state.recentKeyedCalls = state.recentKeyedCalls * decay + 1;
      state.recentNewKeys = state.recentNewKeys * decay + (bloomHas(state.seenKeys, key) ? 0 : 1);
      state.latestMs = atMs;
    },

    learnOne(state, event) {
      const key = keyOf(state, event);
      releaseMemo(state);
      if (key === undefined) return;
      const isNew = bloomLearn(state.seenKeys, key);
      state.newKeyWeight = state.newKeyWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
      state.keyedWeight = state.keyedWeight * NOVELTY_DECAY + 1;
      state.learnedEvents++;
    },

    scoreOne(state, event) {
      if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
      const key = keyOf(state, event);
      if (key === undefined) return unremarkable(0);
      const newShare = newKeyShare(state);
      const isNew = !bloomHas(state.seenKeys, key);
      const singleSurprise = isNew ? -Math.log10(newShare) : 0;
      // The burst test only speaks for a new key: a known key right after a new one is not news.
      const burstSurprise = isNew ? poissonSurprise(state.recentNewKeys, state.recentKeyedCalls * newShare) : 0;
      const score = surpriseToScore(Math.max(singleSurprise, burstSurprise));
      if (score < WORDED_SCORE_MIN) return unremarkable(score);
      const usually = `usually ${formatShare(newShare)} of its calls touch a new one`;
      const reason =
        burstSurprise > singleSurprise
          ? `${formatRate(state.recentNewKeys)} new ${spec.keysNoun} in the last minute; ${usually}`
          : `${spec.describeKey(event)} never seen before for this agent (${usually})`;
      return { score, reason };
    },
  };
}

/** Smoothed share of learned calls that touched a key the agent had not seen. */
export function newKeyShare(state: KeyNoveltyState): number {
  return (state.newKeyWeight + 0.5) / (state.keyedWeight + 1);
}
