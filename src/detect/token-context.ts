// Token context: is the token (token.id) of this call used where and when this agent's tokens
// usually are not? Three tests on the facts a stolen or replayed token changes; the most
// surprising speaks:
//   network switch — the token was first used from one source network (/24, /48) and now from
//                    another; p = the agent's own decayed share of reused tokens that switched;
//                    half the surprise for a neighbouring /24 of the same IPv4 /16;
//   age            — time since token.issued_at, on a log scale, against the decayed mean and
//                    spread of the agent's own token ages (Laplace tail as for sizes, spread at
//                    least 0.5, i.e. ×1.65); only older than usual is scored;
//   after expiry   — used more than a minute after token.expires_at; p = the agent's own share
//                    of calls with an expired token (an audit source with skewed clocks that
//                    always reports expired tokens is not flagged for it).
// Shares are smoothed (+0.5 / +1) over about the last 2,048 learned calls, so a stable agent
// bottoms out at score ≈ 0.40 per test. A scope the agent never held is context_novelty's
// (field "scope"); being near expiry is not scored (agents legitimately use tokens to the end).
//
// Recently used tokens are remembered in four slots (id hash, first network, issued and expiry
// time in seconds), most recently learned first: this is also what saves parsing the two ISO
// timestamps (~0.35 µs each) on every call — they are parsed once per token.
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { hashText } from '../profile/sketches/hash.js';
import { packedIntegers } from '../profile/sketches/packed-integers.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
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
import { describeSourceNetwork, inSameIpv4Slash16, sourceNetworkKey } from './source-network.js';
import { laplaceUpperTailLog10, surpriseToScore } from './surprise.js';
import { formatDuration, formatShare, truncateText } from './wording.js';

export const TOKEN_SLOTS = 4;
/**
 * A switch to another /24 of the same IPv4 /16 counts half its surprise: hosts that move or fail
 * over inside their organisation's address block do this with live tokens, and it looked exactly
 * like a replay from elsewhere (on simulated fleets one such agent held a third of all benign
 * events above 0.9). Measured on tuning seeds 11, 13 and 23: alerts 173/199/188 → 159/176/165,
 * ROC-AUC +0.0001/+0.0002/+0.0002, seed 23 recall at 1 per 1,000 0.867 → 0.900.
 */
export const NEARBY_SWITCH_FACTOR = 0.5;
const SLOT_WORDS = 4;
/** Slot word meaning "not known" (no network, no issue or expiry time). */
const UNKNOWN = 0xffffffff;
const MEMORY_EVENTS = 2048;
const DECAY = 1 - 1 / MEMORY_EVENTS;
export const EXPIRY_GRACE_SECONDS = 60;
const MIN_LOG_AGE_SPREAD = 0.5;

export class TokenContextState {
  /** TOKEN_SLOTS × (token id hash, first source network key, issued_at s, expires_at s), uint32, most recent first. */
  tokenSlots: number[] = new Array<number>(TOKEN_SLOTS * SLOT_WORDS).fill(UNKNOWN);
  /** Slots in use. */
  tokensKnown = 0;
  /** Decayed counts of learned calls reusing a remembered token, and of those from another network than its first. */
  reuseWeight = 0;
  switchWeight = 0;
  /** Decayed weight, sum and sum of squares of ln(1 + token age in seconds) of learned calls. */
  ageWeight = 0;
  ageSum = 0;
  ageSquares = 0;
  /** Decayed counts of learned calls whose token had an expiry, and of those after it. */
  expiryWeight = 0;
  expiredWeight = 0;
  learnedEvents = 0;

  // The last event's token id hash and source network key; see EventMemo.
  declare memoEvent: AuditEvent | undefined;
  declare memoEventMs: number;
  declare idHash: number;
  declare networkKey: number;

  constructor() {
    defineEventMemo(this, { idHash: 0, networkKey: UNKNOWN });
  }
}

/** The event's token id hash and network key, computed once per event (only for events with a token id). */
function keysOf(state: TokenContextState, event: AuditEvent, tokenId: string): TokenContextState {
  if (memoHolds(state, event)) return state;
  state.idHash = hashText(tokenId);
  state.networkKey = networkOf(event);
  return state;
}

const nonNegative = z.number().finite().min(0);

export const tokenContextDetector: Detector<TokenContextState, 'token_context'> = {
  name: 'token_context',
  stateSchema: stateClassSchema(TokenContextState, {
    tokenSlots: packedIntegers('uint32', { length: TOKEN_SLOTS * SLOT_WORDS }),
    tokensKnown: z.number().int().min(0).max(TOKEN_SLOTS),
    reuseWeight: nonNegative,
    switchWeight: nonNegative,
    ageWeight: nonNegative,
    ageSum: nonNegative,
    ageSquares: nonNegative,
    expiryWeight: nonNegative,
    expiredWeight: nonNegative,
    learnedEvents: z.number().int().min(0),
  }),

  initialState: () => new TokenContextState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const tokenId = event.token?.id;
    if (tokenId === undefined || tokenId === '') return;
    const { idHash, networkKey: network } = keysOf(state, event, tokenId);
    releaseMemo(state);
    let slot = findSlot(state, idHash);
    if (slot >= 0) {
      const firstNetwork = state.tokenSlots[slot * SLOT_WORDS + 1] ?? UNKNOWN;
      state.reuseWeight = state.reuseWeight * DECAY + 1;
      state.switchWeight = state.switchWeight * DECAY + (switched(firstNetwork, network) ? 1 : 0);
      if (firstNetwork === UNKNOWN && network !== UNKNOWN) state.tokenSlots[slot * SLOT_WORDS + 1] = network;
    } else {
      slot = insertToken(state, idHash, network, event);
    }
    moveToFront(state, slot);
    const issuedSeconds = state.tokenSlots[2] ?? UNKNOWN;
    const expiresSeconds = state.tokenSlots[3] ?? UNKNOWN;
    const nowSeconds = event.timeMs / 1000;
    if (issuedSeconds !== UNKNOWN) {
      const logAge = Math.log1p(Math.max(0, nowSeconds - issuedSeconds));
      state.ageWeight = state.ageWeight * DECAY + 1;
      state.ageSum = state.ageSum * DECAY + logAge;
      state.ageSquares = state.ageSquares * DECAY + logAge * logAge;
    }
    if (expiresSeconds !== UNKNOWN) {
      state.expiryWeight = state.expiryWeight * DECAY + 1;
      state.expiredWeight = state.expiredWeight * DECAY + (nowSeconds > expiresSeconds + EXPIRY_GRACE_SECONDS ? 1 : 0);
    }
    state.learnedEvents++;
  },

  scoreOne(state, event) {
    const token = event.token;
    const tokenId = token?.id;
    // The event first: a call without a token has nothing to judge, whatever the evidence.
    if (token === undefined || tokenId === undefined || tokenId === '') return unremarkable(0);
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    const keys = keysOf(state, event, tokenId);
    const slot = findSlot(state, keys.idHash);
    const nowSeconds = event.timeMs / 1000;

    let switchSurprise = 0;
    let nearby = false;
    if (slot >= 0 && switched(state.tokenSlots[slot * SLOT_WORDS + 1] ?? UNKNOWN, keys.networkKey)) {
      nearby = inSameIpv4Slash16(event.source?.ip ?? '', state.tokenSlots[slot * SLOT_WORDS + 1] ?? UNKNOWN);
      switchSurprise = -Math.log10(switchShare(state)) * (nearby ? NEARBY_SWITCH_FACTOR : 1);
    }

    const issuedSeconds = slot >= 0 ? (state.tokenSlots[slot * SLOT_WORDS + 2] ?? UNKNOWN) : parseSeconds(token.issued_at);
    let ageSurprise = 0;
    let logAge = 0;
    if (issuedSeconds !== UNKNOWN && state.ageWeight >= MIN_LEARNED_OBSERVATIONS) {
      logAge = Math.log1p(Math.max(0, nowSeconds - issuedSeconds));
      const z = (logAge - usualLogAge(state)) / Math.max(logAgeSpread(state), MIN_LOG_AGE_SPREAD);
      if (z > 0) ageSurprise = -laplaceUpperTailLog10(z);
    }

    const expiresSeconds = slot >= 0 ? (state.tokenSlots[slot * SLOT_WORDS + 3] ?? UNKNOWN) : parseSeconds(token.expires_at);
    let expirySurprise = 0;
    if (expiresSeconds !== UNKNOWN && state.expiryWeight >= MIN_LEARNED_OBSERVATIONS && nowSeconds > expiresSeconds + EXPIRY_GRACE_SECONDS) {
      expirySurprise = -Math.log10(expiredShare(state));
    }

    const surprise = Math.max(switchSurprise, ageSurprise, expirySurprise);
    const score = surpriseToScore(surprise);
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const named = `token ${truncateText(tokenId, 40)}`;
    let reason: string;
    if (surprise === switchSurprise) {
      const other = nearby ? 'a neighbour (same /16) of the network' : 'another network than';
      reason = `${named} used from ${describeSourceNetwork(event.source?.ip ?? '')}, ${other} it was first used from (usually ${formatShare(switchShare(state))} of reused tokens change network)`;
    } else if (surprise === ageSurprise) {
      reason = `${named} used ${formatDuration(Math.expm1(logAge) * 1000)} after it was issued; usually about ${formatDuration(Math.expm1(usualLogAge(state)) * 1000)}`;
    } else {
      reason = `${named} used ${formatDuration((nowSeconds - expiresSeconds) * 1000)} after it expired (usually ${formatShare(expiredShare(state))} of calls carry an expired token)`;
    }
    return { score, reason };
  },
};

/** Smoothed share of reused tokens used from another network than their first. */
export function switchShare(state: TokenContextState): number {
  return (state.switchWeight + 0.5) / (state.reuseWeight + 1);
}

/** Smoothed share of calls (with a token expiry) made after it. */
export function expiredShare(state: TokenContextState): number {
  return (state.expiredWeight + 0.5) / (state.expiryWeight + 1);
}

export function usualLogAge(state: TokenContextState): number {
  return state.ageWeight > 0 ? state.ageSum / state.ageWeight : 0;
}

function logAgeSpread(state: TokenContextState): number {
  if (state.ageWeight <= 0) return 0;
  const mean = state.ageSum / state.ageWeight;
  return Math.sqrt(Math.max(0, state.ageSquares / state.ageWeight - mean * mean));
}

function networkOf(event: AuditEvent): number {
  const ip = event.source?.ip;
  return ip === undefined || ip === '' ? UNKNOWN : sourceNetworkKey(ip) >>> 0;
}

function switched(firstNetwork: number, network: number): boolean {
  return firstNetwork !== UNKNOWN && network !== UNKNOWN && network !== firstNetwork;
}

function findSlot(state: TokenContextState, idHash: number): number {
  for (let slot = 0; slot < state.tokensKnown; slot++) if (state.tokenSlots[slot * SLOT_WORDS] === idHash) return slot;
  return -1;
}

/** Puts a token not remembered yet in the last slot (a free one, or the least recent), parsing its times once. */
function insertToken(state: TokenContextState, idHash: number, network: number, event: AuditEvent): number {
  const slot = state.tokensKnown < TOKEN_SLOTS ? state.tokensKnown++ : TOKEN_SLOTS - 1;
  const at = slot * SLOT_WORDS;
  state.tokenSlots[at] = idHash;
  state.tokenSlots[at + 1] = network;
  state.tokenSlots[at + 2] = parseSeconds(event.token?.issued_at);
  state.tokenSlots[at + 3] = parseSeconds(event.token?.expires_at);
  return slot;
}

function moveToFront(state: TokenContextState, slot: number): void {
  if (slot === 0) return;
  const words = state.tokenSlots;
  for (let word = 0; word < SLOT_WORDS; word++) {
    const moving = words[slot * SLOT_WORDS + word] ?? UNKNOWN;
    for (let i = slot; i > 0; i--) words[i * SLOT_WORDS + word] = words[(i - 1) * SLOT_WORDS + word] ?? UNKNOWN;
    words[word] = moving;
  }
}

/** Whole seconds since 1970 of an ISO time, or UNKNOWN (absent, unparsable, or outside uint32). */
function parseSeconds(isoTime: string | undefined): number {
  if (isoTime === undefined) return UNKNOWN;
  const seconds = Math.floor(Date.parse(isoTime) / 1000);
  return Number.isFinite(seconds) && seconds >= 0 && seconds < UNKNOWN ? seconds : UNKNOWN;
}
