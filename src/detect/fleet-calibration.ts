// How rare a signal's score is across the fleet this process watches: the calibration that makes
// one detector's 0.6 mean the same as another's.
//
// Each detector maps its own tail probability to a 0..1 score (surprise.ts), but those tails are
// computed under each detector's model, and models are wrong in different ways: one signal fires
// at 0.3 on 4% of ordinary traffic, another never fires on anything but attacks. So Warden counts,
// per signal and per score level (20 steps of 0.05), in how many agent-hours across the fleet the
// signal reached that level — counting agent-hours, not events, so a burst of one agent weighs
// once, the same as a single event — and reads a score as its fleet share:
//
//   p = (agent-hours at or above the level + PRIOR_AGENT_HOURS · nominal p) / (agent-hours + PRIOR_AGENT_HOURS)
//   calibrated surprise = −log10 p
//
// The nominal p is the detector's own tail (surprise.ts: score 0 ↔ 10⁻², 1 ↔ 10⁻⁶), so a process
// that has seen nothing yet scores exactly as the detectors say, and the fleet's own counts take
// over as agent-hours accumulate. The counts live in this process only (each consumer calibrates
// against the agents it holds) and start afresh on restart; they are halved every
// HALVING_AGENT_HOURS so the calibration follows a fleet that changes.
import { SURPRISE_FLOOR, SURPRISE_FULL } from './surprise.js';

/** Score levels: level k holds scores ≥ k / LEVELS (level 0: any score above 0). */
export const LEVELS = 20;
/** Weight of the detectors' nominal tails, in agent-hours. */
export const PRIOR_AGENT_HOURS = 1000;
const HALVING_AGENT_HOURS = 1_000_000;

/** Score level of a score in (0, 1]: 0 for (0, 0.05), …, 20 for 1. */
export function scoreLevel(score: number): number {
  return score >= 1 ? LEVELS : Math.floor(score * LEVELS);
}

/** The tail probability a detector meant by `score` (the inverse of surpriseToScore). */
export function nominalTail(score: number): number {
  return Math.pow(10, -(SURPRISE_FLOOR + (SURPRISE_FULL - SURPRISE_FLOOR) * Math.min(1, Math.max(0, score))));
}

export class FleetCalibration {
  /** Per signal: agent-hours whose highest score reached each level (index 0..LEVELS), cumulative downwards. */
  private readonly hoursAtOrAbove = new Map<string, Float64Array>();
  private agentHours = 0;

  /** −log10 of the fleet share of agent-hours in which `signal` scored at least `score`. */
  surprise(signal: string, score: number): number {
    const counts = this.hoursAtOrAbove.get(signal);
    const reached = counts === undefined ? 0 : (counts[scoreLevel(score)] as number);
    const share = (reached + PRIOR_AGENT_HOURS * nominalTail(score)) / (this.agentHours + PRIOR_AGENT_HOURS);
    return share >= 1 ? 0 : -Math.log10(share);
  }

  /**
   * One agent-hour that ended: `highestLevels[i]` is the highest score level signals[i] reached in
   * it (−1: it did not fire).
   */
  countAgentHour(signals: readonly string[], highestLevels: ArrayLike<number>): void {
    this.agentHours += 1;
    for (let i = 0; i < signals.length; i++) {
      const highest = highestLevels[i] as number;
      if (highest < 0) continue;
      const signal = signals[i] as string;
      let counts = this.hoursAtOrAbove.get(signal);
      if (counts === undefined) this.hoursAtOrAbove.set(signal, (counts = new Float64Array(LEVELS + 1)));
      for (let level = 0; level <= highest; level++) counts[level] = (counts[level] as number) + 1;
    }
    if (this.agentHours >= HALVING_AGENT_HOURS) this.halve();
  }

  /** Agent-hours counted (after halvings). */
  get countedAgentHours(): number {
    return this.agentHours;
  }

  private halve(): void {
    this.agentHours /= 2;
    for (const counts of this.hoursAtOrAbove.values()) for (let level = 0; level <= LEVELS; level++) counts[level] = (counts[level] as number) / 2;
  }
}
