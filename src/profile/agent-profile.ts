// One agent's behaviour baseline: identity, counters, one plain-data state slice per registered
// detector, and which signals are routine for the agent (detect/signal-routine.ts). Creating it and turning it into JSON and back (a checkpoint) live here;
// updating the slices is the detectors' job (detect/score-event.ts), storing the JSON the store's.
//
// The profile imports the detector registry because each detector owns the shape of its slice
// (so adding a detector is one file + one registry line); the registry imports nothing from here.
import { z } from 'zod';
import type { AuditEvent } from '../events/audit-event.js';
import { WardenError } from '../errors.js';
import { averageEventsPerMinute } from '../detect/event-rate.js';
import { DETECTORS, type SignalStates } from '../detect/registry.js';
import { SignalRoutine, signalRoutineSchema } from '../detect/signal-routine.js';
import { reservoirMedian } from './sketches/robust-reservoir.js';

export type { SignalStates } from '../detect/registry.js';

export interface AgentProfile {
  agentId: string;
  agentType?: string;
  owner?: string;
  /** Every event observed. */
  eventsSeen: number;
  /** Events that entered the baseline (not flagged, or seen while warming up). */
  eventsLearned: number;
  firstSeenMs: number;
  /** Newest event time observed (event time; a late event never moves it back). */
  lastEventMs: number;
  signals: SignalStates;
  /** In what share of its active hours each signal fired: what calibration discounts as routine. */
  routine: SignalRoutine;
}

/** Bumped when the JSON layout changes incompatibly; a checkpoint of another version is refused. */
export const PROFILE_FORMAT_VERSION = 1;

/** A fresh profile for the agent of `event`. It has not observed the event: pass it to scoreAndLearn. */
export function createProfile(event: AuditEvent): AgentProfile {
  const { id, type, owner } = event.agent;
  return buildProfile(
    { agentId: id, agentType: type, owner, eventsSeen: 0, eventsLearned: 0, firstSeenMs: event.timeMs, lastEventMs: event.timeMs },
    initialSignalStates(),
    new SignalRoutine(),
  );
}

type ProfileIdentity = Omit<AgentProfile, 'signals' | 'routine' | 'agentType' | 'owner'> & { agentType?: string | undefined; owner?: string | undefined };

/** The one place profiles are built, so new and restored profiles share one hidden class (see state-class-schema.ts). */
function buildProfile(identity: ProfileIdentity, signals: SignalStates, routine: SignalRoutine): AgentProfile {
  const profile: AgentProfile = {
    agentId: identity.agentId,
    eventsSeen: identity.eventsSeen,
    eventsLearned: identity.eventsLearned,
    firstSeenMs: identity.firstSeenMs,
    lastEventMs: identity.lastEventMs,
    signals,
    routine,
  };
  if (identity.agentType !== undefined) profile.agentType = identity.agentType;
  if (identity.owner !== undefined) profile.owner = identity.owner;
  Object.defineProperty(signals, SLICES_IN_REGISTRY_ORDER, { value: slicesInRegistryOrder(signals) });
  return profile;
}

/**
 * The profile's state slices in registry order (DETECTORS[i]'s slice at i), for the scoring loop:
 * reading slices by detector name, three times per detector per event, was ~8% of scoring. Kept
 * on the signals object under a symbol, not enumerable, so it is neither compared nor serialised.
 */
export function signalSlices(profile: AgentProfile): readonly unknown[] {
  const signals = profile.signals as SignalStates & { [SLICES_IN_REGISTRY_ORDER]?: unknown[] };
  return signals[SLICES_IN_REGISTRY_ORDER] ?? slicesInRegistryOrder(signals);
}

const SLICES_IN_REGISTRY_ORDER = Symbol('signal slices in registry order');

function slicesInRegistryOrder(signals: SignalStates): unknown[] {
  return DETECTORS.map((detector) => (signals as unknown as Record<string, unknown>)[detector.name]);
}

function initialSignalStates(): SignalStates {
  const signals: Record<string, unknown> = {};
  for (const detector of DETECTORS) signals[detector.name] = detector.initialState();
  // The registry is the source of both the keys and the slice types of SignalStates.
  return signals as SignalStates;
}

// A slice missing from a checkpoint (written before its detector existed) is created fresh and
// warms up; a slice that is present must be valid.
const signalStatesSchema = z.object(Object.fromEntries(DETECTORS.map((detector) => [detector.name, detector.stateSchema.optional()])));

const profileJsonSchema = z.object({
  formatVersion: z.literal(PROFILE_FORMAT_VERSION),
  agentId: z.string().min(1),
  agentType: z.string().optional(),
  owner: z.string().optional(),
  eventsSeen: z.number().int().min(0),
  eventsLearned: z.number().int().min(0),
  firstSeenMs: z.number().finite(),
  lastEventMs: z.number().finite(),
  signals: signalStatesSchema,
  // Absent in checkpoints written before calibration: the routine starts empty.
  routine: signalRoutineSchema.optional(),
});

/** Deterministic: the same profile always gives the same string (keys in schema order). */
export function profileToJson(profile: AgentProfile): string {
  const encoded = z.encode(profileJsonSchema, { formatVersion: PROFILE_FORMAT_VERSION, ...profile });
  return JSON.stringify(encoded);
}

/** Parses and validates a checkpoint; throws WardenError BASELINE_CORRUPT naming what is wrong. */
export function profileFromJson(json: string): AgentProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new WardenError('BASELINE_CORRUPT', `agent profile is not valid JSON: ${(error as Error).message}`);
  }
  return profileFromParsedJson(parsed);
}

/** profileFromJson of a profile already parsed from JSON (as part of a larger checkpoint document). */
export function profileFromParsedJson(parsed: unknown): AgentProfile {
  const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PROFILE_FORMAT_VERSION) {
    throw new WardenError(
      'BASELINE_CORRUPT',
      `agent profile has format version ${JSON.stringify(version)}; this Warden reads version ${PROFILE_FORMAT_VERSION}`,
    );
  }
  const checked = z.safeDecode(profileJsonSchema, parsed as z.input<typeof profileJsonSchema>);
  if (!checked.success) {
    const agent = typeof (parsed as { agentId?: unknown }).agentId === 'string' ? ` of agent ${(parsed as { agentId: string }).agentId}` : '';
    throw new WardenError('BASELINE_CORRUPT', `agent profile${agent} is corrupt: ${describeIssues(checked.error)}`);
  }
  const { formatVersion: _version, signals, routine, ...identity } = checked.data;
  const restored: Record<string, unknown> = {};
  for (const detector of DETECTORS) restored[detector.name] = signals[detector.name] ?? detector.initialState();
  return buildProfile(identity, restored as SignalStates, routine ?? new SignalRoutine());
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(profile)'}: ${issue.message}`);
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}

/** The numbers a baselines row and the agents API show. */
export interface BaselineSummary {
  eventsSeen: number;
  eventsLearned: number;
  distinctActions: number;
  usualEventsPerMinute: number;
  failureRate: number;
  medianBytes: number;
}

export function summarizeProfile(profile: AgentProfile): BaselineSummary {
  const { action_frequency: actions, outcome_failures: outcomes, bytes_volume: bytes, event_rate: rate } = profile.signals;
  return {
    eventsSeen: profile.eventsSeen,
    eventsLearned: profile.eventsLearned,
    distinctActions: actions.distinctActions,
    usualEventsPerMinute: averageEventsPerMinute(rate),
    failureRate: outcomes.callWeight > 0 ? outcomes.failureWeight / outcomes.callWeight : 0,
    medianBytes: bytes.reservoir.logSamples.length > 0 ? Math.round(reservoirMedian(bytes.reservoir)) : 0,
  };
}
