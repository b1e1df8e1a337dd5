// What every detector is: River-style verbs over one plain-data slice of an agent's profile.
//
// Per event the caller runs, in this order:
//   observeOne(state, event)  — short-window activity, for EVERY event (a flagged burst still counts)
//   scoreOne(state, event)    — how unusual the event is against the learned baseline
//   learnOne(state, event)    — long-term baseline, only for events that were NOT flagged, so an
//                               attack cannot teach Warden that it is normal (like River's
//                               QuantileFilter(protect_anomaly_detector))
// A detector reads time only from `event.timeMs`, holds no globals and draws no random numbers.
// Adding one = one file exporting a Detector + one line in registry.ts + its test.
//
// Peers (optional verb): a detector whose baseline can be summarised across agents (usual pace,
// action mix, sizes) may also implement scoreWithPeers. While the agent's own evidence is thin,
// scoreAndLearn calls it instead of scoreOne with its peer group's summary (profile/
// peer-baselines.ts); the detector blends the two baselines, moving from the peers' to its own as
// it learns, and says which it used.
import type { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import type { PeerComparison } from '../profile/peer-baselines.js';

export type DetectorVerdict =
  /** `peerWeight`: share of the baseline that was the peer group's (scoreWithPeers only; absent = 0). */
  | { readonly score: number; readonly reason: string; readonly peerWeight?: number }
  /** Too little evidence yet to say anything (explicit warm-up). */
  | { readonly warmingUp: true };

export interface Detector<State, Name extends string = string> {
  /** Stable signal name: the profile key of its state and the `signal` of its findings. */
  readonly name: Name;
  /** Validates restored state; may encode compactly in JSON (a codec) while staying plain data in memory. */
  readonly stateSchema: z.ZodType<State>;
  initialState(): State;
  observeOne(state: State, event: AuditEvent): void;
  learnOne(state: State, event: AuditEvent): void;
  /** `score` is 0..1; `reason` says in plain words, with numbers, what was unusual. */
  scoreOne(state: State, event: AuditEvent): DetectorVerdict;
  /**
   * scoreOne against a blend of the agent's own baseline and its peers'. The verdict's
   * `peerWeight` is the peers' share of the baseline used; warmingUp only when neither is usable.
   */
  scoreWithPeers?(state: State, event: AuditEvent, peers: PeerComparison): DetectorVerdict;
}

/** observeOne of a detector without a short window: scoreAndLearn skips it. */
export function ignoreObservation(): void {}

export const WARMING_UP: DetectorVerdict = Object.freeze({ warmingUp: true as const });

/** A finding scored below this is not worded (formatting numbers per event would cost more than scoring). */
export const WORDED_SCORE_MIN = 0.05;

const NOTHING_UNUSUAL: DetectorVerdict = Object.freeze({ score: 0, reason: 'nothing unusual' });

/** The verdict for a score too small to explain; shares one object for the common score 0. */
export function unremarkable(score: number): DetectorVerdict {
  return score === 0 ? NOTHING_UNUSUAL : { score, reason: 'within the usual range' };
}

/**
 * Each detector's own minimum evidence: below this many learned observations it reports
 * warmingUp whatever the profile-wide warm-up says (a new detector added to an old profile, an
 * agent that only recently started sending bytes, ...).
 */
export const MIN_LEARNED_OBSERVATIONS = 20;

/**
 * Learned observations over which a peer-aware detector moves from its peers' baseline to its own
 * (linearly, unless its own warm-up says otherwise), and after which a profile stops looking to
 * its peers at all (profile/peer-baselines.ts).
 */
export const PEER_HANDOVER_EVENTS = 1000;

/**
 * What a detector remembers of the event it looked at last, so that its verbs for one event
 * (scoreAndLearn calls them back to back) hash the event's strings once instead of two or three
 * times. Not part of the state: defined non-enumerable, so it is neither serialised nor compared.
 * It holds the event object itself (ids are not trusted to be unique: two events sharing an id
 * must not share keys) and its time (a caller that rewrites an event and scores it again gets
 * fresh keys); learnOne, the last verb, lets go of it, so no event outlives its scoring.
 */
export interface EventMemo {
  memoEvent: AuditEvent | undefined;
  memoEventMs: number;
}

/** Adds the (non-enumerable) memo fields to a state in its constructor, with their initial values. */
export function defineEventMemo(state: object, fields: Readonly<Record<string, number>>): void {
  const initial: [string, unknown][] = [['memoEvent', undefined], ['memoEventMs', Number.NaN], ...Object.entries(fields)];
  for (const [name, value] of initial) Object.defineProperty(state, name, { value, writable: true, enumerable: false, configurable: false });
}

/** True if the memo holds this event's values; otherwise marks it as this event's (the caller then fills it). */
export function memoHolds(memo: EventMemo, event: AuditEvent): boolean {
  if (memo.memoEvent === event && memo.memoEventMs === event.timeMs) return true;
  memo.memoEvent = event;
  memo.memoEventMs = event.timeMs;
  return false;
}

/** Lets go of the event (end of learnOne). */
export function releaseMemo(memo: EventMemo): void {
  memo.memoEvent = undefined;
}
