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
import type { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';

export type DetectorVerdict =
  | { readonly score: number; readonly reason: string }
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
}

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
