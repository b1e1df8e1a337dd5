// Workflow: is this step — the action after the previous action of the same session — one the
// agent has never taken? An agent that reads a ticket, then searches, then replies, has a small
// set of steps; "read inbox → export all contacts" or a session that starts with a payment is off
// its workflow even when each action on its own is familiar.
//
// A step is (previous action, action) within a session (session_id; without one, the agent's
// previous call), or (session start, action) for the first call of a session or after 30 minutes
// of quiet in it. The four most recently active sessions are remembered (session hash, time of
// its last learned call, that call's action); an older session's next call counts as a start.
// Steps seen are kept in a rotating bloom filter (2 × 512 bits, ~100 steps before forgetting
// unused ones), hashed from the two action hashes, so memory does not grow with the number of
// action pairs. Only learned calls advance a session or teach a step: a flagged call neither
// becomes "usual" nor becomes the previous action of the next step.
//
// Score, as for the other novelty signals: p = the agent's own decayed share of learned steps
// that were new (about the last 2,048, smoothed +0.5 / +1). An agent whose sessions interleave
// or wander (every step new) has a share near 1 and is never flagged; a stable one bottoms out
// at score ≈ 0.40 alone — below learnBelowRisk, so a new habit is learned, not flagged forever.
//
// Calls outside any session: agent runtimes send a session id with (nearly) every call; a token
// replayed with curl does not. A call without one scores p = the agent's decayed share of learned
// calls without one (same memory and smoothing), capped at MAX_SESSIONLESS_SCORE (0.4) so a
// runtime that stops sending them is learned; noisy-OR with the step's score. An agent that
// never sends session ids has a share near 1 and gets nothing. Measured on tuning seeds 11, 13
// and 23 (detectors only): ROC-AUC unchanged (±0.0003), PR-AUC +0.007 / +0.008 / +0.041, the
// stolen-token episodes detected at their first call on seed 23 (median 10 calls before).
// 8 bytes of state (one more packed number); slices checkpointed before it are restored as if all
// calls had come without a session id (addSessionlessWeight below).
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { hashText, mixHash } from '../profile/sketches/hash.js';
import { packedIntegers } from '../profile/sketches/packed-integers.js';
import { bloomHas, bloomLearn, createRotatingBloom, type RotatingBloom, rotatingBloomSchema } from '../profile/sketches/rotating-bloom.js';
import { repackOldNumbers, stateClassSchema } from '../profile/state-class-schema.js';
import { MINUTE_MS } from '../profile/time-decay.js';
import {
  defineEventMemo,
  type Detector,
  ignoreObservation,
  memoHolds,
  MIN_LEARNED_OBSERVATIONS,
  releaseMemo,
  unremarkable,
  WARMING_UP,
  WORDED_SCORE_MIN,
} from './detector.js';
import { surpriseToScore } from './surprise.js';
import { formatShare, truncateText } from './wording.js';

const SEEN_STEPS_BITS = 512;
export const SESSION_SLOTS = 4;
export const SESSION_IDLE_MS = 30 * MINUTE_MS;
const NOVELTY_MEMORY_EVENTS = 2048;
const NOVELTY_DECAY = 1 - 1 / NOVELTY_MEMORY_EVENTS;
/** Action names kept for wording are cut to this length. */
const MAX_ACTION_NAME = 64;
/** Session key of calls without a session_id: the agent's own sequence. */
const NO_SESSION_KEY = hashText('\u0000no session');
/**
 * A call without a session id from an agent that always sends one scores at most this: below
 * learnBelowRisk, so a runtime that stops sending them is learned, not flagged for good.
 */
export const MAX_SESSIONLESS_SCORE = 0.4;
/** Stands for "session start" in a step (as the previous action's key). */
const SESSION_START = 0x5bd1e995;

const SLOT_WORDS = 3;

export class WorkflowState {
  seenSteps: RotatingBloom = createRotatingBloom(SEEN_STEPS_BITS);
  /**
   * Recent sessions, most recently learned first, SLOT_WORDS uint32 each: session key hash, time
   * of its last learned call (s; 0 = empty slot), that call's action hash. One array, so a call
   * touches one object to find its previous step.
   */
  sessions: number[] = new Array<number>(SESSION_SLOTS * SLOT_WORDS).fill(0);
  /** Those calls' actions (cut to 64 characters), only to word a reason. */
  sessionActions: string[] = new Array<string>(SESSION_SLOTS).fill('');
  /** Decayed count of learned steps that were new, and of all learned steps. */
  newStepWeight = 0;
  stepWeight = 0;
  learnedEvents = 0;
  /** Decayed count (as stepWeight) of learned calls without a session id. */
  sessionlessWeight = 0;

  // The last event's session and action keys; see EventMemo.
  declare memoEvent: AuditEvent | undefined;
  declare memoEventMs: number;
  declare sessionKey: number;
  declare actionKey: number;

  constructor() {
    defineEventMemo(this, { sessionKey: 0, actionKey: 0 });
  }
}

/** The event's session and action keys, hashed once per event. */
function keysOf(state: WorkflowState, event: AuditEvent): WorkflowState {
  if (memoHolds(state, event)) return state;
  state.sessionKey = sessionKeyOf(event);
  state.actionKey = actionKeyOf(event.action);
  return state;
}

export const workflowDetector: Detector<WorkflowState, 'workflow'> = {
  name: 'workflow',
  stateSchema: z.codec(
    z.unknown(),
    stateClassSchema(WorkflowState, {
      seenSteps: rotatingBloomSchema(SEEN_STEPS_BITS),
      sessions: packedIntegers('uint32', { length: SESSION_SLOTS * SLOT_WORDS }),
      sessionActions: z.array(z.string().max(MAX_ACTION_NAME)).length(SESSION_SLOTS),
      newStepWeight: z.number().finite().min(0),
      stepWeight: z.number().finite().min(0),
      learnedEvents: z.number().int().min(0),
      sessionlessWeight: z.number().finite().min(0),
    }),
    { decode: (json) => addSessionlessWeight(json) as never, encode: (json) => json },
  ),

  initialState: () => new WorkflowState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const { sessionKey, actionKey } = keysOf(state, event);
    releaseMemo(state);
    const slot = previousSlot(state, sessionKey, event.timeMs);
    const isNew = bloomLearn(state.seenSteps, stepKeyOf(slot < 0 ? SESSION_START : (state.sessions[slot * SLOT_WORDS + 2] ?? 0), actionKey));
    state.newStepWeight = state.newStepWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
    state.stepWeight = state.stepWeight * NOVELTY_DECAY + 1;
    state.sessionlessWeight = state.sessionlessWeight * NOVELTY_DECAY + (sessionKey === NO_SESSION_KEY ? 1 : 0);
    state.learnedEvents++;
    rememberSession(state, sessionKey, actionKey, event);
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    const { sessionKey, actionKey } = keysOf(state, event);
    const slot = previousSlot(state, sessionKey, event.timeMs);
    const previousKey = slot < 0 ? SESSION_START : (state.sessions[slot * SLOT_WORDS + 2] ?? 0);
    const newStep = !bloomHas(state.seenSteps, stepKeyOf(previousKey, actionKey));
    const stepScore = newStep ? surpriseToScore(-Math.log10(newStepShare(state))) : 0;
    const sessionlessScore = sessionKey === NO_SESSION_KEY ? Math.min(MAX_SESSIONLESS_SCORE, surpriseToScore(-Math.log10(sessionlessShare(state)))) : 0;
    const score = 1 - (1 - stepScore) * (1 - sessionlessScore);
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const reasons: string[] = [];
    if (stepScore >= WORDED_SCORE_MIN) {
      const usually = `usually ${formatShare(newStepShare(state))} of its steps are new`;
      const action = truncateText(event.action, MAX_ACTION_NAME);
      reasons.push(
        slot < 0
          ? `session starting with ${action} never seen before for this agent (${usually})`
          : `step ${state.sessionActions[slot] ?? '?'} → ${action} never seen before in this agent's sessions (${usually})`,
      );
    }
    if (sessionlessScore >= WORDED_SCORE_MIN) {
      reasons.push(`call without a session id (usually ${formatShare(sessionlessShare(state))} of this agent's calls come without one)`);
    }
    return { score, reason: reasons.join('; ') };
  },
};

/** Smoothed share of learned calls that carried no session id. */
export function sessionlessShare(state: WorkflowState): number {
  return (state.sessionlessWeight + 0.5) / (state.stepWeight + 1);
}

/** Smoothed share of learned steps the agent had not taken before. */
export function newStepShare(state: WorkflowState): number {
  return (state.newStepWeight + 0.5) / (state.stepWeight + 1);
}

function sessionKeyOf(event: AuditEvent): number {
  const sessionId = event.session_id;
  return sessionId === undefined || sessionId === '' ? NO_SESSION_KEY : hashText(sessionId);
}

function actionKeyOf(action: string): number {
  return hashText(truncateText(action, MAX_ACTION_NAME));
}

/** Slot of the session's previous learned call if it is recent enough to make a step, else −1 (a start). */
function previousSlot(state: WorkflowState, sessionKey: number, timeMs: number): number {
  const sessions = state.sessions;
  for (let slot = 0; slot < SESSION_SLOTS; slot++) {
    const at = slot * SLOT_WORDS;
    const lastSeconds = sessions[at + 1] ?? 0;
    if (sessions[at] !== sessionKey || lastSeconds === 0) continue;
    return timeMs - lastSeconds * 1000 <= SESSION_IDLE_MS ? slot : -1;
  }
  return -1;
}

/** 32-bit key of the step from the action (or session start) with key `previousKey` to the action with key `actionKey`. */
function stepKeyOf(previousKey: number, actionKey: number): number {
  return mixHash(Math.imul(previousKey, 0x9e3779b1) ^ actionKey);
}

/** Moves (or inserts) the session to the front with this call as its last, dropping the least recent. */
function rememberSession(state: WorkflowState, sessionKey: number, actionKey: number, event: AuditEvent): void {
  const sessions = state.sessions;
  let slot = SESSION_SLOTS - 1;
  for (let i = 0; i < SESSION_SLOTS; i++) {
    if (sessions[i * SLOT_WORDS] === sessionKey && sessions[i * SLOT_WORDS + 1] !== 0) {
      slot = i;
      break;
    }
  }
  for (let i = slot; i > 0; i--) {
    for (let word = 0; word < SLOT_WORDS; word++) sessions[i * SLOT_WORDS + word] = sessions[(i - 1) * SLOT_WORDS + word] ?? 0;
    state.sessionActions[i] = state.sessionActions[i - 1] ?? '';
  }
  sessions[0] = sessionKey;
  // Seconds since 1970, at least 1 (0 marks an empty slot) and within uint32.
  sessions[1] = Math.max(1, Math.min(0xffffffff, Math.floor(event.timeMs / 1000)));
  sessions[2] = actionKey;
  state.sessionActions[0] = truncateText(event.action, MAX_ACTION_NAME);
}

const PRE_SESSIONLESS_NUMBERS = 3;

/**
 * A slice packed before the session-less test (its `n`: newStepWeight, stepWeight, learnedEvents;
 * little-endian float64s in shape order, state-class-schema.ts) gets sessionlessWeight =
 * stepWeight: as if every call had come without a session id, so nothing is flagged for it until
 * the agent's own share is learned again (it halves every ~1,400 learned calls). A 0.1.0 slice
 * (numbers as fields) gets the fresh state's 0 from stateClassSchema.
 */
function addSessionlessWeight(json: unknown): unknown {
  return repackOldNumbers(json, PRE_SESSIONLESS_NUMBERS, ([newStepWeight = 0, stepWeight = 0, learnedEvents = 0]) => [
    newStepWeight,
    stepWeight,
    learnedEvents,
    stepWeight,
  ]);
}
