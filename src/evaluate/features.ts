// The numeric feature vector per event that the Isolation Forest reference sees: the same
// evidence Warden's detectors read (rate, action, resource, source IP, hour of week, outcome,
// bytes, records), as plain numbers computed online per agent in event time. Each event is
// described against the agent's history *before* it (novelty, shares), except the short
// windows, which include it (like Warden's observeOne). Learns from every event, unprotected.
// Keys are 32-bit hashes (as in Warden's sketches) so a long replay holds numbers, not strings.
import { hashText, hashTextPair } from '../profile/sketches/hash.js';
import type { ReplayedEvent } from './replay.js';

export const FEATURE_NAMES = [
  /** log2(events in the last minute / the agent's usual count at its arrivals). */
  'rate_log_ratio',
  /** 1 if the agent has never done this action before. */
  'action_new',
  /** Share of the agent's earlier events with this action. */
  'action_share',
  /** 1 if the agent has never touched this resource (type + id) before; 0 without a resource. */
  'resource_new',
  /** 1 if the agent has never called from this source IP before; 0 without one. */
  'source_ip_new',
  /** Share of the agent's earlier events in this hour of the week (UTC). */
  'hour_of_week_share',
  /** 1 if the outcome is failure or denied. */
  'failure',
  /** ln(1 + bytes). */
  'log_bytes',
  /** ln(1 + records). */
  'log_records',
  /** ln(1 + distinct resources the agent touched in the last 5 minutes). */
  'log_distinct_resources_5min',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const HOURS_PER_WEEK = 168;
const DISTINCT_WINDOW_MS = 5 * MINUTE_MS;
/** The usual count is an average over about the agent's last 1,000 events. */
const USUAL_RATE_MEMORY_EVENTS = 1000;

interface AgentFeatureState {
  eventsSeen: number;
  latestMs: number;
  /** Exponentially decayed event count, time constant 1 min ≈ events in the last minute. */
  recentCount: number;
  usualRecentCount: number;
  actionCounts: Map<number, number>;
  seenResources: Set<number>;
  seenSourceIps: Set<number>;
  hourOfWeekCounts: Uint32Array;
  /** Resources touched in the last 5 minutes: times and keys from `recentStart`, and counts by key. */
  recentResourceTimes: number[];
  recentResourceKeys: number[];
  recentStart: number;
  recentResourceCounts: Map<number, number>;
}

function createState(timeMs: number): AgentFeatureState {
  return {
    eventsSeen: 0,
    latestMs: timeMs,
    recentCount: 0,
    usualRecentCount: 0,
    actionCounts: new Map(),
    seenResources: new Set(),
    seenSourceIps: new Set(),
    hourOfWeekCounts: new Uint32Array(HOURS_PER_WEEK),
    recentResourceTimes: [],
    recentResourceKeys: [],
    recentStart: 0,
    recentResourceCounts: new Map(),
  };
}

export type FeatureEvent = Pick<
  ReplayedEvent,
  'agent_id' | 'time' | 'action' | 'resource_type' | 'resource_id' | 'source_ip' | 'outcome' | 'bytes' | 'records'
>;

export class FeatureExtractor {
  private readonly agents = new Map<string, AgentFeatureState>();

  /** Writes the event's FEATURE_COUNT features into `into` at `offset`, then learns the event. */
  extract(event: FeatureEvent, into: Float32Array | Float64Array, offset: number): void {
    let state = this.agents.get(event.agent_id);
    if (!state) {
      state = createState(event.time);
      this.agents.set(event.agent_id, state);
    }
    const atMs = Math.max(event.time, state.latestMs);
    state.recentCount = state.recentCount * Math.exp(-(atMs - state.latestMs) / MINUTE_MS) + 1;
    state.latestMs = atMs;
    const usual = state.eventsSeen === 0 ? state.recentCount : state.usualRecentCount;

    const actionKey = hashText(event.action);
    const actionCount = state.actionCounts.get(actionKey) ?? 0;
    const hasResource = event.resource_type !== '' || event.resource_id !== '';
    const resourceKey = hasResource ? hashTextPair(event.resource_type, event.resource_id) : 0;
    const hasSourceIp = event.source_ip !== '';
    const sourceIpKey = hasSourceIp ? hashText(event.source_ip) : 0;
    const hourOfWeek = Math.floor(atMs / HOUR_MS) % HOURS_PER_WEEK;
    const earlier = state.eventsSeen;
    const distinctRecent = hasResource ? this.touchRecentResource(state, atMs, resourceKey) : this.expireRecentResources(state, atMs);

    into[offset] = Math.log2(state.recentCount / usual);
    into[offset + 1] = actionCount === 0 ? 1 : 0;
    into[offset + 2] = earlier === 0 ? 0 : actionCount / earlier;
    into[offset + 3] = hasResource && !state.seenResources.has(resourceKey) ? 1 : 0;
    into[offset + 4] = hasSourceIp && !state.seenSourceIps.has(sourceIpKey) ? 1 : 0;
    into[offset + 5] = earlier === 0 ? 0 : (state.hourOfWeekCounts[hourOfWeek] as number) / earlier;
    into[offset + 6] = event.outcome === 'success' ? 0 : 1;
    into[offset + 7] = Math.log1p(event.bytes);
    into[offset + 8] = Math.log1p(event.records);
    into[offset + 9] = Math.log1p(distinctRecent);

    state.eventsSeen++;
    state.usualRecentCount += (state.recentCount - state.usualRecentCount) / Math.min(state.eventsSeen, USUAL_RATE_MEMORY_EVENTS);
    state.actionCounts.set(actionKey, actionCount + 1);
    if (hasResource) state.seenResources.add(resourceKey);
    if (hasSourceIp) state.seenSourceIps.add(sourceIpKey);
    state.hourOfWeekCounts[hourOfWeek] = (state.hourOfWeekCounts[hourOfWeek] as number) + 1;
  }

  /** Adds a resource touch at `atMs` and returns the distinct resources of the last 5 minutes. */
  private touchRecentResource(state: AgentFeatureState, atMs: number, resourceKey: number): number {
    state.recentResourceTimes.push(atMs);
    state.recentResourceKeys.push(resourceKey);
    state.recentResourceCounts.set(resourceKey, (state.recentResourceCounts.get(resourceKey) ?? 0) + 1);
    return this.expireRecentResources(state, atMs);
  }

  private expireRecentResources(state: AgentFeatureState, atMs: number): number {
    const times = state.recentResourceTimes;
    const keys = state.recentResourceKeys;
    const counts = state.recentResourceCounts;
    while (state.recentStart < times.length && (times[state.recentStart] as number) <= atMs - DISTINCT_WINDOW_MS) {
      const key = keys[state.recentStart] as number;
      const count = (counts.get(key) as number) - 1;
      if (count === 0) counts.delete(key);
      else counts.set(key, count);
      state.recentStart++;
    }
    if (state.recentStart > 1024 && state.recentStart * 2 > times.length) {
      times.splice(0, state.recentStart);
      keys.splice(0, state.recentStart);
      state.recentStart = 0;
    }
    return counts.size;
  }
}
