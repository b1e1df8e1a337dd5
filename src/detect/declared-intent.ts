// Declared intent: the call's task declared the actions it needs (task.declared_actions) and this
// action is not one of them. An agent steered off its task (a prompt injection, a hijacked plan)
// acts outside what its task said it would do, whatever its history; so this is scored high —
// INTENT_SCORE (0.8) on its own, above learnBelowRisk — rather than by rarity.
//
// Unless the agent itself routinely strays: some runtimes declare loosely. The agent's own share
// of learned calls (with a declaration) outside their declaration, decayed over about the last
// 1,024 and smoothed (+0.5 / +1), lowers the score on a log scale: full at a share ≤ 1%, zero at
// ≥ 10% (3% → 0.42). Flagged calls are not learned, so after warm-up an attacker cannot raise that
// share; an agent that strays during its warm-up (when every call is learned) keeps a low score.
// Calls without a declaration (or with an empty one) are neither scored nor learned.
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, ignoreObservation } from './detector.js';
import { formatNameList, formatShare, truncateText } from './wording.js';

export const INTENT_SCORE = 0.8;
const CAREFUL_SHARE = 0.01;
const LOOSE_SHARE = 0.1;
const MEMORY_EVENTS = 1024;
const DECAY = 1 - 1 / MEMORY_EVENTS;

export class DeclaredIntentState {
  /** Decayed counts of learned calls with a declaration, and of those outside it. */
  declaredWeight = 0;
  undeclaredWeight = 0;
  learnedEvents = 0;
}

export const declaredIntentDetector: Detector<DeclaredIntentState, 'declared_intent'> = {
  name: 'declared_intent',
  stateSchema: stateClassSchema(DeclaredIntentState, {
    declaredWeight: z.number().finite().min(0),
    undeclaredWeight: z.number().finite().min(0),
    learnedEvents: z.number().int().min(0),
  }),

  initialState: () => new DeclaredIntentState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const declared = event.task?.declared_actions;
    if (declared === undefined || declared.length === 0) return;
    state.declaredWeight = state.declaredWeight * DECAY + 1;
    state.undeclaredWeight = state.undeclaredWeight * DECAY + (declared.includes(event.action) ? 0 : 1);
    state.learnedEvents++;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    const declared = event.task?.declared_actions;
    if (declared === undefined || declared.length === 0 || declared.includes(event.action)) return unremarkable(0);
    const share = undeclaredShare(state);
    const score = intentScore(share);
    if (score <= 0) return unremarkable(0);
    return { score, reason: describe(event, declared, share) };
  },
};

/** Smoothed share of learned declared calls outside their declaration. */
export function undeclaredShare(state: DeclaredIntentState): number {
  return (state.undeclaredWeight + 0.5) / (state.declaredWeight + 1);
}

/** INTENT_SCORE at a share ≤ 1%, falling on a log scale to 0 at 10%. */
export function intentScore(share: number): number {
  if (share <= CAREFUL_SHARE) return INTENT_SCORE;
  if (share >= LOOSE_SHARE) return 0;
  return (INTENT_SCORE * Math.log10(LOOSE_SHARE / share)) / Math.log10(LOOSE_SHARE / CAREFUL_SHARE);
}

function describe(event: AuditEvent, declared: readonly string[], share: number): string {
  const taskId = event.task?.id ?? event.task_id;
  const task = taskId === undefined || taskId === '' ? 'its task' : `task ${truncateText(taskId, 40)}`;
  const loose = share > CAREFUL_SHARE ? ` (this agent strays from its declarations on ${formatShare(share)} of calls)` : '';
  return `action ${truncateText(event.action)} is outside the actions ${task} declared: ${formatNameList(declared)}${loose}`;
}
