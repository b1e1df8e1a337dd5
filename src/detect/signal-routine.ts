// What is routine for one agent: in what share of its active hours each signal has fired.
//
// Some agents trip a signal for a living: a data pipeline whose nightly load touches thousands of
// new objects at once, a CRM agent whose weekly export is ten times its usual size. Judged
// against the fleet those events are rare, and every detector is right that they are unusual for
// the agent's call-by-call baseline — yet they come back every night. This slice remembers, per
// signal, the (time-decayed, half-life 14 days) number of the agent's active hours in which that
// signal fired (its calibrated surprise reached ROUTINE_FIRING_SURPRISE), over the number of its
// active hours. The calibrator (calibrate.ts) discounts a signal by that share: not at all for a
// signal the agent never fires, fully once it fires in ROUTINE_SHARE_FOR_FULL_DISCOUNT of the
// agent's hours.
//
// Counting waits until an hour is over: the hour an agent first misbehaves cannot make its own
// misbehaviour routine, and a burst counts once however many events it has. An attack is
// therefore discounted only if it recurs on other hours — which is also how a recurring batch
// job is learned without anyone marking it. Event time only; an event older than the current
// hour counts toward the current hour.
//
// The slice also keeps the agent's recent peak surprise and its time, from which calibrate.ts
// carries risk over to the calls that follow: the rest of what calibration remembers per agent.
import { packedBytesCodec } from '../profile/sketches/packed-integers.js';
import { HOUR_MS } from '../profile/time-decay.js';
import { LEARNED_MODEL_SIGNAL } from './combine.js';
import { DETECTORS } from './registry.js';

/** Signals with a routine: every detector, then the learned model. */
export const ROUTINE_SIGNALS: readonly string[] = Object.freeze([...DETECTORS.map((detector) => detector.name), LEARNED_MODEL_SIGNAL]);
// firedThisHour is a 16-bit mask in checkpoints.
if (ROUTINE_SIGNALS.length > 16) throw new Error(`signal-routine.ts packs at most 16 signals; the registry has ${ROUTINE_SIGNALS.length}`);
const ROUTINE_INDEX = new Map(ROUTINE_SIGNALS.map((signal, index) => [signal, index]));

/** Calibrated surprise (−log10 of the fleet share) at which a signal counts as having fired in an hour. */
export const ROUTINE_FIRING_SURPRISE = 2.5;
/** A signal firing in this share of the agent's active hours is fully routine (discounted to 0). */
export const ROUTINE_SHARE_FOR_FULL_DISCOUNT = 0.04;
/** Prior active hours in the share's denominator, so one fired hour of a new agent is not routine yet. */
const PRIOR_ACTIVE_HOURS = 24;
const HALF_LIFE_HOURS = 14 * 24;
/** Fixed point of the stored counts and surprise (1/64), see signalRoutineSchema. */
const FIXED_POINT = 64;
const MAX_FIXED_POINT_VALUE = 0xffff / FIXED_POINT;

export class SignalRoutine {
  /** Hour (ms / HOUR_MS) of the newest event; −1 before the first. */
  currentHour = -1;
  /** Decayed count of hours with at least one event. */
  activeHours = 0;
  /** Bit i: ROUTINE_SIGNALS[i] fired in the current hour. */
  firedThisHour = 0;
  /** Highest total surprise of the agent's recent events, decayed to recentSurpriseMs (calibrate.ts). */
  recentSurprise = 0;
  recentSurpriseMs = 0;
  /** Per ROUTINE_SIGNALS index: decayed count of past active hours in which it fired. */
  firedHours: number[] = new Array<number>(ROUTINE_SIGNALS.length).fill(0);

  /**
   * Per ROUTINE_SIGNALS index: the highest score level (fleet-calibration.ts) the signal reached
   * in the current hour, −1 if none; what the fleet calibration counts when the hour ends. Not
   * part of the checkpoint (non-enumerable): a restart loses at most one hour of fleet counts.
   */
  declare highestLevelsThisHour: Int8Array;

  constructor() {
    Object.defineProperty(this, 'highestLevelsThisHour', { value: new Int8Array(ROUTINE_SIGNALS.length).fill(-1), enumerable: false });
  }
}

/**
 * The routine in a checkpoint: one base64 string of little-endian integers — current hour + 1
 * (uint32), active hours and the recent peak surprise in 1/64 (uint16 each), the fired-this-hour
 * bits (uint16), the peak's time in whole seconds (uint32), then each signal's fired hours in
 * 1/64 (uint16). 42 bytes: 56 characters of the profile's 4 KB, where float64 fields would take
 * twice that. Precision lost on restore: under 1/128 of an hour or of a surprise unit, and 1 s.
 */
const ROUTINE_BYTES = 4 + 2 + 2 + 2 + 4 + 2 * ROUTINE_SIGNALS.length;

export const signalRoutineSchema = packedBytesCodec(
  SignalRoutine,
  ROUTINE_BYTES,
  (bytes, routine) => {
    routine.currentHour = bytes.readUInt32LE(0) - 1;
    routine.activeHours = bytes.readUInt16LE(4) / FIXED_POINT;
    routine.recentSurprise = bytes.readUInt16LE(6) / FIXED_POINT;
    routine.firedThisHour = bytes.readUInt16LE(8);
    routine.recentSurpriseMs = bytes.readUInt32LE(10) * 1000;
    for (let i = 0; i < ROUTINE_SIGNALS.length; i++) routine.firedHours[i] = bytes.readUInt16LE(14 + 2 * i) / FIXED_POINT;
  },
  (routine, bytes) => {
    bytes.writeUInt32LE(Math.max(0, routine.currentHour + 1), 0);
    bytes.writeUInt16LE(toFixedPoint(routine.activeHours), 4);
    bytes.writeUInt16LE(toFixedPoint(routine.recentSurprise), 6);
    bytes.writeUInt16LE(routine.firedThisHour & 0xffff, 8);
    bytes.writeUInt32LE(Math.min(0xffffffff, Math.max(0, Math.round(routine.recentSurpriseMs / 1000))), 10);
    for (let i = 0; i < ROUTINE_SIGNALS.length; i++) bytes.writeUInt16LE(toFixedPoint(routine.firedHours[i] ?? 0), 14 + 2 * i);
  },
);

function toFixedPoint(value: number): number {
  return Math.round(Math.min(Math.max(value, 0), MAX_FIXED_POINT_VALUE) * FIXED_POINT);
}

/** Index of `signal` in the routine, or −1 for a signal it does not track. */
export function routineIndex(signal: string): number {
  return ROUTINE_INDEX.get(signal) ?? -1;
}

/**
 * Moves the routine to the hour of `timeMs`. If that is a later hour, the hour that ended is
 * counted (with the signals that fired in it), everything decays by the time that passed, and
 * `onHourEnded` first sees the highest score levels the signals reached in the ended hour.
 */
export function advanceRoutineHour(routine: SignalRoutine, timeMs: number, onHourEnded: (highestLevels: Int8Array) => void): void {
  const hour = Math.floor(timeMs / HOUR_MS);
  if (hour <= routine.currentHour) return;
  if (routine.currentHour >= 0) {
    onHourEnded(routine.highestLevelsThisHour);
    const decay = Math.pow(0.5, (hour - routine.currentHour) / HALF_LIFE_HOURS);
    routine.activeHours = routine.activeHours * decay + 1;
    const fired = routine.firedThisHour;
    for (let i = 0; i < routine.firedHours.length; i++) {
      routine.firedHours[i] = (routine.firedHours[i] as number) * decay + ((fired >>> i) & 1);
    }
    routine.firedThisHour = 0;
    routine.highestLevelsThisHour.fill(-1);
  }
  routine.currentHour = hour;
}

/** Notes that signal `index` reached score level `level` (fleet-calibration.ts) this hour, and whether it fired. */
export function noteSignal(routine: SignalRoutine, index: number, level: number, fired: boolean): void {
  if (level > (routine.highestLevelsThisHour[index] as number)) routine.highestLevelsThisHour[index] = level;
  if (fired) routine.firedThisHour |= 1 << index;
}

/** Share of the agent's active hours in which the signal fired (with PRIOR_ACTIVE_HOURS of none). */
export function routineShare(routine: SignalRoutine, index: number): number {
  return (routine.firedHours[index] ?? 0) / (routine.activeHours + PRIOR_ACTIVE_HOURS);
}

/**
 * What is routine for a kind of agent: per agent type (at least MIN_PEER_ROUTINE_AGENTS agents),
 * each signal's fired hours over the active hours of all its agents (each with the same
 * PRIOR_ACTIVE_HOURS of none as routineShare). A young ETL agent's second nightly load is then
 * judged by what nightly loads do for every ETL agent, not only by its own two nights. Built from
 * the profiles the process holds, like the peer baselines, and rebuilt with them.
 */
export type PeerRoutines = ReadonlyMap<string, Float64Array>;

export const MIN_PEER_ROUTINE_AGENTS = 3;

export function buildPeerRoutines(profiles: Iterable<{ agentType?: string; routine: SignalRoutine }>): PeerRoutines {
  const groups = new Map<string, { firedHours: Float64Array; activeHours: number; agents: number }>();
  for (const { agentType, routine } of profiles) {
    if (agentType === undefined) continue;
    let group = groups.get(agentType);
    if (group === undefined) groups.set(agentType, (group = { firedHours: new Float64Array(ROUTINE_SIGNALS.length), activeHours: 0, agents: 0 }));
    for (let i = 0; i < ROUTINE_SIGNALS.length; i++) group.firedHours[i] = (group.firedHours[i] as number) + (routine.firedHours[i] ?? 0);
    group.activeHours += routine.activeHours + PRIOR_ACTIVE_HOURS;
    group.agents += 1;
  }
  const shares = new Map<string, Float64Array>();
  for (const [agentType, group] of groups) {
    if (group.agents >= MIN_PEER_ROUTINE_AGENTS)
      shares.set(
        agentType,
        group.firedHours.map((fired) => fired / group.activeHours),
      );
  }
  return shares;
}

/**
 * Signals whose detector already learns how often they recur, so a routine discount would count
 * the recurrence twice: dormancy compares a silence with the agent's usual longest gap. Discounting
 * it made a zombie's wake-up that spans an hour boundary "routine" from its own first hour (such
 * agents have few active hours). Measured on tuning seeds 11, 13 and 23: zombie_agent ROC-AUC
 * 0.993 → 0.996, 0.983 → 0.983, 0.975 → 0.976; all kinds +0.0001; alerts ±2.
 */
const LEARNS_OWN_RECURRENCE: ReadonlySet<string> = new Set(['dormancy']);

/** Whether the routine discount applies to a signal (see LEARNS_OWN_RECURRENCE). */
export function routineDiscounts(signal: string): boolean {
  return !LEARNS_OWN_RECURRENCE.has(signal);
}

/** Factor applied to the signal's surprise: 1 if it is not routine for the agent, 0 if fully. */
export function routineDiscount(share: number): number {
  return share >= ROUTINE_SHARE_FOR_FULL_DISCOUNT ? 0 : 1 - share / ROUTINE_SHARE_FOR_FULL_DISCOUNT;
}
