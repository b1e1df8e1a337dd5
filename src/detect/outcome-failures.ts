// Failed and denied calls: is the agent failing (or being refused) faster than it usually does?
// A burst of denials is how probing for access it does not have looks from the outside.
//
// Short window (observeOne, every event, time constant 1 min, decay forward only): calls and
// failed-or-denied calls. Baseline (learnOne): the decayed share of learned calls that failed
// or were denied, over about the last 1,024 learned calls, smoothed (+0.5 / +1).
// Only a failed or denied event is scored: P(X ≥ recent failures | Poisson(recent calls × usual
// share)). One denial from an agent that is never denied scores ≈ 0.25–0.4; a dozen in a minute
// scores 1.
//
// Denials are also counted on their own (same windows, their own usual share), and a denied call
// takes the larger of the two surprises: an agent whose backend fails 5% of the time has a high
// failure share, yet is almost never refused — a burst of refusals (probing for access it does
// not have) must not hide behind its ordinary failures. From about two denials in a minute: a
// single refusal says nothing new.
import { z } from 'zod';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { decayFactor, MINUTE_MS } from '../profile/time-decay.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { poissonSurprise, surpriseToScore } from './surprise.js';
import { formatRate, formatShare } from './wording.js';

const RECENT_WINDOW_MS = MINUTE_MS;
const FAILURE_MEMORY_EVENTS = 1024;
const FAILURE_DECAY = 1 - 1 / FAILURE_MEMORY_EVENTS;
/** Denials are tested on their own from about two in the last minute: one refusal is not a burst. */
const MIN_DENIAL_BURST = 1.5;

export class OutcomeFailuresState {
  latestMs = 0;
  /** Decayed (1 min) counts of all calls and of failed-or-denied calls. */
  recentCalls = 0;
  recentFailures = 0;
  /** Decayed (per learned event) counts of failed-or-denied learned calls and of all learned calls. */
  failureWeight = 0;
  callWeight = 0;
  learnedEvents = 0;
  /** The same two counts for denied calls alone (short window, learned). */
  recentDenials = 0;
  denialWeight = 0;
}

export const outcomeFailuresDetector: Detector<OutcomeFailuresState, 'outcome_failures'> = {
  name: 'outcome_failures',
  stateSchema: stateClassSchema(OutcomeFailuresState, {
    latestMs: z.number().finite(),
    recentCalls: z.number().finite().min(0),
    recentFailures: z.number().finite().min(0),
    failureWeight: z.number().finite().min(0),
    callWeight: z.number().finite().min(0),
    learnedEvents: z.number().int().min(0),
    recentDenials: z.number().finite().min(0),
    denialWeight: z.number().finite().min(0),
  }),

  initialState: () => new OutcomeFailuresState(),

  observeOne(state, event) {
    const atMs = Math.max(event.timeMs, state.latestMs);
    const decay = decayFactor(atMs - state.latestMs, RECENT_WINDOW_MS);
    state.recentCalls = state.recentCalls * decay + 1;
    state.recentFailures = state.recentFailures * decay + (event.outcome === 'success' ? 0 : 1);
    state.recentDenials = state.recentDenials * decay + (event.outcome === 'denied' ? 1 : 0);
    state.latestMs = atMs;
  },

  learnOne(state, event) {
    state.failureWeight = state.failureWeight * FAILURE_DECAY + (event.outcome === 'success' ? 0 : 1);
    state.callWeight = state.callWeight * FAILURE_DECAY + 1;
    state.denialWeight = state.denialWeight * FAILURE_DECAY + (event.outcome === 'denied' ? 1 : 0);
    state.learnedEvents++;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    if (event.outcome === 'success') return unremarkable(0);
    const usualShare = usualFailureShare(state);
    const failureSurprise = poissonSurprise(state.recentFailures, state.recentCalls * usualShare);
    const denialSurprise =
      event.outcome === 'denied' && state.recentDenials >= MIN_DENIAL_BURST
        ? poissonSurprise(state.recentDenials, state.recentCalls * usualDenialShare(state))
        : 0;
    const score = surpriseToScore(Math.max(failureSurprise, denialSurprise));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    if (denialSurprise > failureSurprise) {
      return {
        score,
        reason: `${formatRate(state.recentDenials)} denied calls in the last minute out of ${formatRate(state.recentCalls)}; usually ${formatShare(usualDenialShare(state))} are denied`,
      };
    }
    return {
      score,
      reason: `${formatRate(state.recentFailures)} failed or denied calls in the last minute out of ${formatRate(state.recentCalls)}; usually ${formatShare(usualShare)} fail`,
    };
  },
};

/** Smoothed share of learned calls that failed or were denied. */
export function usualFailureShare(state: OutcomeFailuresState): number {
  return (state.failureWeight + 0.5) / (state.callWeight + 1);
}

/** Smoothed share of learned calls that were denied. */
export function usualDenialShare(state: OutcomeFailuresState): number {
  return (state.denialWeight + 0.5) / (state.callWeight + 1);
}
