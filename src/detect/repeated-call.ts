// Repeated call: the same call — same action on the same resource — made again and again in a row,
// more than this agent ever repeats itself. A runaway loop (a tool result the agent keeps
// misreading, a retry without backoff) looks exactly like this, and it shows from its third or
// fourth call, before the pace has risen far enough for the rate detector, whatever the agent's
// usual pace.
//
// observeOne (every event, flagged or not) keeps the previous call's key (a hash of action,
// resource type and resource id) and the length of the current run of identical calls. learnOne
// (learned calls only) keeps the agent's share of calls that repeated the one before, as a running
// mean over about the last REPEAT_MEMORY_CALLS, smoothed (+0.5 / +1), floored at MIN_REPEAT_SHARE.
//
// Score: a run of r repeats (r + 1 identical calls) has probability share^r if repeats came
// independently at the agent's usual share; surprise r · −log10(share) through surpriseToScore.
// A single repeat is never scored (a retry is normal). For an agent that (almost) never repeats
// itself, the share is floored at 2%: 3 identical calls → surprise 3.4 (score 0.35), 4 → 5.1
// (0.77), 5 → 6.8 (1.0); for one that polls the same thing 20% of the time, 10 identical calls →
// surprise 6.3. A loop is not learned (its calls are flagged), so it cannot make itself usual.
//
// State: three integers and one share, packed into one base64 string (20 bytes, 28 characters:
// the profile's 4 KB are nearly spent).
import type { AuditEvent } from '../events/audit-event.js';
import { hashText, hashTextPair } from '../profile/sketches/hash.js';
import { packedBytesCodec } from '../profile/sketches/packed-integers.js';
import { type Detector, MIN_LEARNED_OBSERVATIONS, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { surpriseToScore } from './surprise.js';
import { formatShare, truncateText } from './wording.js';

export const REPEAT_MEMORY_CALLS = 1000;
/** Repeats are never rarer than this in the score: a stable agent's first retry-like run is not alarming on its own. */
export const MIN_REPEAT_SHARE = 0.02;

export class RepeatedCallState {
  /** Hash of the previous call's action + resource (0 before the first call). */
  previousCallKey = 0;
  /** Calls in a row, since the last different one, that repeated the call before them. */
  runLength = 0;
  /** Running mean over learned calls of "repeated the previous call" (0 or 1). */
  repeatShare = 0;
  learnedEvents = 0;

  /** 1 if the event between observeOne and learnOne repeated the previous call; not checkpointed (non-enumerable). */
  declare eventRepeats: number;

  constructor() {
    Object.defineProperty(this, 'eventRepeats', { value: 0, writable: true, enumerable: false });
  }
}

const PACKED_BYTES = 4 + 4 + 4 + 8;

/** previousCallKey, runLength, learnedEvents (uint32 each), repeatShare (float64): exact both ways. */
const repeatedCallStateSchema = packedBytesCodec(
  RepeatedCallState,
  PACKED_BYTES,
  (bytes, state) => {
    state.previousCallKey = bytes.readUInt32LE(0);
    state.runLength = bytes.readUInt32LE(4);
    state.learnedEvents = bytes.readUInt32LE(8);
    state.repeatShare = bytes.readDoubleLE(12);
  },
  (state, bytes) => {
    bytes.writeUInt32LE(state.previousCallKey >>> 0, 0);
    bytes.writeUInt32LE(Math.min(state.runLength, 0xffffffff), 4);
    bytes.writeUInt32LE(Math.min(state.learnedEvents, 0xffffffff), 8);
    bytes.writeDoubleLE(state.repeatShare, 12);
  },
);

function callKey(event: AuditEvent): number {
  const resource = event.resource;
  return resource === undefined ? hashText(event.action) : hashText(event.action, hashTextPair(resource.type ?? '', resource.id ?? ''));
}

/** The agent's smoothed share of calls that repeat the previous one, floored at MIN_REPEAT_SHARE. */
export function usualRepeatShare(state: RepeatedCallState): number {
  const calls = Math.min(state.learnedEvents, REPEAT_MEMORY_CALLS);
  return Math.max(MIN_REPEAT_SHARE, (state.repeatShare * calls + 0.5) / (calls + 1));
}

export const repeatedCallDetector: Detector<RepeatedCallState, 'repeated_call'> = {
  name: 'repeated_call',
  stateSchema: repeatedCallStateSchema,

  initialState: () => new RepeatedCallState(),

  observeOne(state, event) {
    const key = callKey(event);
    const repeats = state.learnedEvents + state.runLength > 0 && key === state.previousCallKey ? 1 : 0;
    state.eventRepeats = repeats;
    state.runLength = repeats === 1 ? state.runLength + 1 : 0;
    state.previousCallKey = key;
  },

  learnOne(state) {
    const calls = Math.min(state.learnedEvents + 1, REPEAT_MEMORY_CALLS);
    state.repeatShare += (state.eventRepeats - state.repeatShare) / calls;
    state.learnedEvents++;
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    if (state.runLength < 2) return unremarkable(0);
    const share = usualRepeatShare(state);
    const score = surpriseToScore(-state.runLength * Math.log10(share));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const resource =
      event.resource === undefined ? '' : ` on ${truncateText([event.resource.type, event.resource.id].filter((part) => part !== undefined).join(':'))}`;
    return {
      score,
      reason: `${truncateText(event.action)}${resource} ${state.runLength + 1} times in a row; this agent repeats its previous call in ${formatShare(share)} of calls`,
    };
  },
};
