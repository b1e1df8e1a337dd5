// Context novelty: a call with a token scope, from a source network, with a user agent, or for a
// delegating user (on_behalf_of.user_id) this agent has not used before — each judged against how
// often the agent itself meets new values of that field, so an agent that naturally serves new
// users is not flagged for each one while an agent with a fixed context is.
//
// Per field, as in key-novelty.ts: the decayed share of learned calls (about the last 2,048 that
// carried the field) that brought a value new to the agent, smoothed (+0.5 / +1); a new value
// scores p = that share.
//
// Probation: a value becomes known on the second day (UTC) it is seen, not on its first call.
// This signal alone stays below learnBelowRisk (below), so the first call with a new value is
// learned; were the value known from then on, a thief replaying a token from a new network with
// a new client would be flagged once and then blend in for the rest of the session. So until it
// is seen on another day (within a week), every call with it scores as new — only its first call
// counts towards the agent's new-value share, so the share, and the score, do not wear off
// during the session. A legitimate move is scored (alone, below any alert) for the rest of that
// day and known the next. The agent's first day is its founding context, known at once. Scopes are every scope of token.scopes (a token that carries a scope the
// agent never held); networks are /24 and /48 (source-network.ts), which replaced the exact-IP
// detector: address pools churn within a network, so a new address said more about the pool than
// about the caller.
//
// One rotating bloom filter (2 × 512 bits, 51 keys a generation) remembers the values of all
// four fields (known values under their key, values on probation under a day-salted one), each
// field hashed with its own salt: scopes, networks and user agents are a
// handful per agent, and one shared filter costs a quarter of four separate ones in the 4 KB
// profile budget. The price: a field with many values (an agent serving hundreds of users)
// rotates the filter faster, so a value used less than about once per generation is forgotten
// and met again as new — at that agent's own novelty share for the field, which such churn raises
// (users: the capped field below); values in steady use are copied forward and never forgotten.
//
// Combining fields: noisy-OR of the per-field scores, capped at MAX_CONTEXT_SCORE (0.45), below
// learnBelowRisk. A legitimate change often moves several fields at once (a new deployment: new
// network and new runtime version; a new user: new user and, in resource_novelty, a new mailbox),
// and if that alone were flagged it would never be learned and stay flagged for good. With another
// signal (a token used from a second network, a burst, a new action) it tips the risk over.
// A new delegating user scores at most MAX_USER_SCORE (0.15): for a delegating agent a new user
// almost always comes with a new resource, which resource_novelty scores already; fan_out watches
// many users at once.
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { hashText, hashTextFrom, mixHash } from '../profile/sketches/hash.js';
import { DAY_MS } from '../profile/time-decay.js';
import {
  bloomAdd,
  bloomHas,
  bloomLearn,
  bloomRefresh,
  createRotatingBloom,
  type RotatingBloom,
  rotatingBloomSchema,
} from '../profile/sketches/rotating-bloom.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import {
  defineEventMemo,
  type Detector,
  ignoreObservation,
  memoHolds,
  releaseMemo,
  MIN_LEARNED_OBSERVATIONS,
  unremarkable,
  WARMING_UP,
  WORDED_SCORE_MIN,
} from './detector.js';
import { describeSourceNetwork, sourceNetworkKey } from './source-network.js';
import { surpriseToScore } from './surprise.js';
import { formatNameList, formatShare, truncateText } from './wording.js';

const SEEN_VALUES_BITS = 512;
const NOVELTY_MEMORY_EVENTS = 2048;
const NOVELTY_DECAY = 1 - 1 / NOVELTY_MEMORY_EVENTS;
export const MAX_CONTEXT_SCORE = 0.45;
export const MAX_USER_SCORE = 0.15;
/** Scopes looked at per call: a token with hundreds of scopes costs no more than this. */
const MAX_SCOPES_PER_CALL = 32;

// Field salts: the same text in two fields ("admin" as a scope and as a user) is two values.
const SCOPE_SEED = hashText('scope\u0000');
const SCOPE_LIST_SEED = hashText('scope list\u0000');
const TOKEN_SEED = hashText('token\u0000');
const TOKEN_FINGERPRINT_CHARS = 12;
const USER_AGENT_SEED = hashText('user_agent\u0000');
const USER_SEED = hashText('user\u0000');
const NETWORK_SALT = 0x3c6ef372;
/** A value seen on one day is promoted to known if seen again within this many days. */
const PROBATION_LOOKBACK_DAYS = 6;
/** learnValue's day for the agent's first day: no probation. */
const FOUNDING_DAY = -1;

export class ContextNoveltyState {
  /** Values of all four fields, field-salted. */
  seenValues: RotatingBloom = createRotatingBloom(SEEN_VALUES_BITS);
  /** Per field: decayed count of learned calls that brought a new value, and of learned calls that carried the field. */
  newScopeWeight = 0;
  scopeWeight = 0;
  newNetworkWeight = 0;
  networkWeight = 0;
  newUserAgentWeight = 0;
  userAgentWeight = 0;
  newUserWeight = 0;
  userWeight = 0;
  learnedEvents = 0;
  /**
   * Fingerprint of the token whose scopes were learned last (0: none). A token's scopes are fixed
   * when it is issued, so the next calls with the same token skip hashing its scope list — the
   * costliest part of this signal (four scopes are ~50 characters, hashed twice per call).
   */
  scopesLearnedForToken = 0;
  /** Key of that token's scope list (scopeListKey), so the list can be kept in the bloom without rehashing it. */
  scopeListLearned = 0;
  /** Day (since 1970, UTC) of the first learned call: the values of the agent's first day are known at once. */
  firstLearnedDay = 0;

  // The last event's keys (−1: the event has no such field); see EventMemo.
  declare memoEvent: AuditEvent | undefined;
  declare memoEventMs: number;
  declare networkKey: number;
  declare userAgentKey: number;
  declare userKey: number;
  declare tokenKey: number;

  constructor() {
    defineEventMemo(this, { networkKey: NO_KEY, userAgentKey: NO_KEY, userKey: NO_KEY, tokenKey: NO_KEY });
  }
}

const NO_KEY = -1;

/** The event's salted keys, hashed once per event. */
function keysOf(state: ContextNoveltyState, event: AuditEvent): ContextNoveltyState {
  if (memoHolds(state, event)) return state;
  const ip = event.source?.ip;
  state.networkKey = ip === undefined || ip === '' ? NO_KEY : (sourceNetworkKey(ip) ^ NETWORK_SALT) >>> 0;
  const userAgent = event.source?.user_agent;
  state.userAgentKey = userAgent === undefined || userAgent === '' ? NO_KEY : hashText(userAgent, USER_AGENT_SEED);
  const userId = event.on_behalf_of?.user_id;
  state.userKey = userId === undefined || userId === '' ? NO_KEY : hashText(userId, USER_SEED);
  state.tokenKey = tokenKeyOf(event);
  return state;
}

const weight = z.number().finite().min(0);

export const contextNoveltyDetector: Detector<ContextNoveltyState, 'context_novelty'> = {
  name: 'context_novelty',
  stateSchema: stateClassSchema(ContextNoveltyState, {
    seenValues: rotatingBloomSchema(SEEN_VALUES_BITS),
    newScopeWeight: weight,
    scopeWeight: weight,
    newNetworkWeight: weight,
    networkWeight: weight,
    newUserAgentWeight: weight,
    userAgentWeight: weight,
    newUserWeight: weight,
    userWeight: weight,
    learnedEvents: z.number().int().min(0),
    scopesLearnedForToken: z.number().int().min(0).max(0xffffffff),
    scopeListLearned: z.number().int().min(0).max(0xffffffff),
    firstLearnedDay: z.number().int(),
  }),

  initialState: () => new ContextNoveltyState(),

  observeOne: ignoreObservation,

  learnOne(state, event) {
    const bloom = state.seenValues;
    const keys = keysOf(state, event);
    const day = Math.floor(event.timeMs / DAY_MS);
    if (state.learnedEvents === 0) state.firstLearnedDay = day;
    // The agent's first day is its founding context: known at once, as the warm-up learns everything.
    const probationDay = day === state.firstLearnedDay ? FOUNDING_DAY : day;
    const scopes = event.token?.scopes;
    if (scopes !== undefined && scopes.length > 0) {
      let anyNew = false;
      const tokenKey = keys.tokenKey;
      const listKey = tokenKey !== 0 && tokenKey === state.scopesLearnedForToken ? state.scopeListLearned : scopeListKey(scopes);
      // A scope list is marked known once all its scopes are; then its scopes are refreshed one
      // by one once per bloom generation (when the list itself has to be copied forward).
      if (!bloomHas(bloom, listKey) || bloomAdd(bloom, listKey)) {
        let allKnown = true;
        const count = Math.min(scopes.length, MAX_SCOPES_PER_CALL);
        for (let i = 0; i < count; i++) {
          const scopeKey = hashText(scopes[i] ?? '', SCOPE_SEED);
          anyNew = learnValue(bloom, scopeKey, probationDay) || anyNew;
          allKnown &&= bloomHas(bloom, scopeKey);
        }
        if (allKnown) bloomAdd(bloom, listKey);
      }
      state.scopesLearnedForToken = tokenKey;
      state.scopeListLearned = listKey;
      state.newScopeWeight = state.newScopeWeight * NOVELTY_DECAY + (anyNew ? 1 : 0);
      state.scopeWeight = state.scopeWeight * NOVELTY_DECAY + 1;
    }
    if (keys.networkKey !== NO_KEY) {
      const isNew = learnValue(bloom, keys.networkKey, probationDay);
      state.newNetworkWeight = state.newNetworkWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
      state.networkWeight = state.networkWeight * NOVELTY_DECAY + 1;
    }
    if (keys.userAgentKey !== NO_KEY) {
      const isNew = learnValue(bloom, keys.userAgentKey, probationDay);
      state.newUserAgentWeight = state.newUserAgentWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
      state.userAgentWeight = state.userAgentWeight * NOVELTY_DECAY + 1;
    }
    if (keys.userKey !== NO_KEY) {
      const isNew = learnValue(bloom, keys.userKey, probationDay);
      state.newUserWeight = state.newUserWeight * NOVELTY_DECAY + (isNew ? 1 : 0);
      state.userWeight = state.userWeight * NOVELTY_DECAY + 1;
    }
    state.learnedEvents++;
    releaseMemo(state);
  },

  scoreOne(state, event) {
    if (state.learnedEvents < MIN_LEARNED_OBSERVATIONS) return WARMING_UP;
    const bloom = state.seenValues;
    const keys = keysOf(state, event);
    const scopeScore = newScopes(state, event) > 0 ? fieldScore(state.newScopeWeight, state.scopeWeight, 1) : 0;
    const networkScore = keys.networkKey !== NO_KEY && !bloomHas(bloom, keys.networkKey) ? fieldScore(state.newNetworkWeight, state.networkWeight, 1) : 0;
    const userAgentScore =
      keys.userAgentKey !== NO_KEY && !bloomHas(bloom, keys.userAgentKey) ? fieldScore(state.newUserAgentWeight, state.userAgentWeight, 1) : 0;
    const userScore = keys.userKey !== NO_KEY && !bloomHas(bloom, keys.userKey) ? fieldScore(state.newUserWeight, state.userWeight, MAX_USER_SCORE) : 0;
    const combined = 1 - (1 - scopeScore) * (1 - networkScore) * (1 - userAgentScore) * (1 - userScore);
    const score = Math.min(MAX_CONTEXT_SCORE, combined);
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const ip = event.source?.ip;
    const userAgent = event.source?.user_agent;
    const userId = event.on_behalf_of?.user_id;

    const values: string[] = [];
    const shares: string[] = [];
    if (scopeScore > 0) {
      const scopes = newScopeNames(bloom, event);
      values.push(`${scopes.length === 1 ? 'scope' : 'scopes'} ${formatNameList(scopes, 3)}`);
      shares.push(formatShare(newShare(state.newScopeWeight, state.scopeWeight)));
    }
    if (networkScore > 0) {
      values.push(`source network ${truncateText(describeSourceNetwork(ip ?? ''))}`);
      shares.push(formatShare(newShare(state.newNetworkWeight, state.networkWeight)));
    }
    if (userAgentScore > 0) {
      values.push(`user agent ${truncateText(userAgent ?? '')}`);
      shares.push(formatShare(newShare(state.newUserAgentWeight, state.userAgentWeight)));
    }
    if (userScore > 0) {
      values.push(`user ${truncateText(userId ?? '')}`);
      shares.push(formatShare(newShare(state.newUserWeight, state.userWeight)));
    }
    return {
      score,
      reason: `${joinWords(values)} never seen before for this agent (usually ${joinWords(shares)} of its calls bring a new one)`,
    };
  },
};

/**
 * Fingerprint of the call's token id: its length and last 12 characters (token ids end in their
 * random or sequential part), cheaper than hashing the scopes it saves; 0 without a token (a real
 * id fingerprinting to 0 only costs the shortcut).
 */
function tokenKeyOf(event: AuditEvent): number {
  const tokenId = event.token?.id;
  if (tokenId === undefined || tokenId === '') return 0;
  return hashTextFrom(tokenId, tokenId.length - TOKEN_FINGERPRINT_CHARS, TOKEN_SEED ^ tokenId.length);
}

/**
 * Learns one value seen on `day` (days since 1970, UTC) and says whether it was never seen before.
 * A value becomes known (its plain key in the bloom) on the second day it is seen; until then its
 * sightings are remembered under day-salted keys, and it scores as new. Known values are
 * refreshed here (copied forward when the bloom rotates).
 */
function learnValue(bloom: RotatingBloom, key: number, day: number): boolean {
  if (bloomRefresh(bloom, key)) return false;
  if (day === FOUNDING_DAY) return bloomLearn(bloom, key);
  for (let back = 1; back <= PROBATION_LOOKBACK_DAYS; back++) {
    if (bloomHas(bloom, dayKey(key, day - back))) {
      bloomAdd(bloom, key);
      return false;
    }
  }
  return bloomLearn(bloom, dayKey(key, day));
}

/** The value's key for sightings on one day. */
function dayKey(key: number, day: number): number {
  return mixHash(key ^ Math.imul(day + 1, 0x9e3779b1));
}

/**
 * Key of a whole scope list (in its order): a token's scopes are checked one by one only when
 * its list is not known as a whole, and refreshed one by one once per bloom generation.
 */
function scopeListKey(scopes: readonly string[]): number {
  let hash = SCOPE_LIST_SEED;
  const count = Math.min(scopes.length, MAX_SCOPES_PER_CALL);
  for (let i = 0; i < count; i++) hash = hashText('\u0000', hashText(scopes[i] ?? '', hash));
  return hash;
}

/** Smoothed share of learned calls carrying the field that brought a new value. */
export function newShare(newWeight: number, fieldWeight: number): number {
  return (newWeight + 0.5) / (fieldWeight + 1);
}

/** Score of a new value of a field: p = the field's new-value share; nothing until the field has been seen on 20 learned calls. */
function fieldScore(newWeight: number, fieldWeight: number, maxScore: number): number {
  if (fieldWeight < MIN_LEARNED_OBSERVATIONS) return 0;
  return Math.min(maxScore, surpriseToScore(-Math.log10(newShare(newWeight, fieldWeight))));
}

/** How many of the call's scopes the agent has not held before (none if its list is known as a whole). */
function newScopes(state: ContextNoveltyState, event: AuditEvent): number {
  const scopes = event.token?.scopes;
  if (scopes === undefined || scopes.length === 0) return 0;
  const bloom = state.seenValues;
  const tokenKey = state.tokenKey; // keysOf ran for this event
  const listKey = tokenKey !== 0 && tokenKey === state.scopesLearnedForToken ? state.scopeListLearned : scopeListKey(scopes);
  if (bloomHas(bloom, listKey)) return 0;
  let unseen = 0;
  const count = Math.min(scopes.length, MAX_SCOPES_PER_CALL);
  for (let i = 0; i < count; i++) if (!bloomHas(bloom, hashText(scopes[i] ?? '', SCOPE_SEED))) unseen++;
  return unseen;
}

function newScopeNames(bloom: RotatingBloom, event: AuditEvent): string[] {
  const scopes = (event.token?.scopes ?? []).slice(0, MAX_SCOPES_PER_CALL);
  return scopes.filter((scope) => !bloomHas(bloom, hashText(scope, SCOPE_SEED)));
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
