// Calibration: the findings of one event (every detector's, and the learned model's) → one risk
// in 0..1 that means the same for every agent, with the reasons behind it.
//
// Per finding, up to three corrections of the detector's own score:
//   1. fleet (fleet-calibration.ts): the score is read as the share of agent-hours across the
//      fleet in which that signal scored as high — surprise s = −log10(share). A signal that is
//      noisy by nature counts for less; one that only ever fires on real trouble counts for more.
//   2. agent (signal-routine.ts): s is discounted by how routine the signal is for this agent —
//      not at all if it never fires for it, to 0 if it fires in 4% or more of its active hours —
//      or for agents of its type (peerRoutines), whichever is more: a young ETL agent's second
//      nightly load is routine because it is for every ETL agent. Measured on tuning seeds 11, 13
//      and 23 (default model): alerts opened 191 → 157, 208 → 177, 200 → 171, ROC-AUC +0.0006,
//      −0.0002, +0.0004; recall at 1 per 1,000 0.933 → 0.967 on seed 11, unchanged on the others.
//   3. adoption (fleet-adoption.ts): an action or workflow finding on an action that other agents
//      of the type adopted in the last 2 days (a release) keeps 1 − others / 4 of s, if that is less
//      than the routine leaves. Measured on tuning seeds 11, 13 and 23 (default model): alerts
//      opened 159 → 129, 176 → 129, 165 → 126; ROC-AUC +0.0001, +0.0002, +0.0001; PR-AUC +0.005,
//      +0.009, +0.011; recall at 1 per 1,000 unchanged.
// The event's evidence is the sum of the findings' surprises (as if independent; the fleet
// calibration already took most of the noise out of signals that co-fire by nature). Findings
// below REASON_MIN_SCORE — weak evidence, a surprise under the 1% level (surprise.ts), which
// the detectors hand over as one number of units (EventScore.weakEvidence) and the model as a
// small finding — are not calibrated: each unit adds WEAK_EVIDENCE_WEIGHT, and a calibrated
// finding adds at least that much. Then
//
//   risk = 1 − 0.99 · 10^(−(total − 2) / 4)   above a total of 2 (the 1% level)
//   risk = 0.005 · total                       up to it (nothing unusual: 0..0.01, still ranked)
//
// so risk 0.45 ↔ total surprise 3 (one agent-hour in 1,000), 0.69 ↔ 4, 0.8 (the default alert
// threshold) ↔ 4.8, 0.9 ↔ 6 (one in a million) and 0.99 ↔ 10 — risk is strictly increasing and
// never saturates, so even the most alarming events stay ranked. The same risk means the same
// rarity on every agent, and the listed reasons are ordered by what they contributed after
// calibration. The learned model's surprise counts half (MODEL_SURPRISE_WEIGHT).
//
// An agent's recent risk carries over: an event is at least CARRY_SHARE as surprising as the
// agent's most surprising event of the last minutes (decayed with a 5-minute time constant), so
// the quiet-looking calls that follow a hijacked agent's first alarming one are not ranked as
// ordinary — the window of activity is scored, not only the single event.
import type { EventScore, SignalFinding } from './combine.js';
import { LEARNED_MODEL_SIGNAL, MAX_REASONS, REASON_MIN_SCORE, weakEvidenceUnits } from './combine.js';
import { DAY_MS } from '../profile/time-decay.js';
import { ADOPTION_SIGNALS, ADOPTION_WINDOW_MS } from './fleet-adoption.js';
import { FleetCalibration, scoreLevel } from './fleet-calibration.js';
import {
  advanceRoutineHour,
  noteSignal,
  type PeerRoutines,
  ROUTINE_FIRING_SURPRISE,
  ROUTINE_SHARE_FOR_FULL_DISCOUNT,
  ROUTINE_SIGNALS,
  routineDiscount,
  routineIndex,
  routineDiscounts,
  routineShare,
  type SignalRoutine,
} from './signal-routine.js';
import { formatDuration, formatShare } from './wording.js';

/** Total surprise up to which risk stays below RISK_AT_FLOOR, and the surprise per tenfold of (1 − risk) above it. */
export const RISK_SURPRISE_FLOOR = 2;
export const RISK_SURPRISE_PER_DECADE = 4;
const RISK_AT_FLOOR = 0.01;

export function riskFromSurprise(totalSurprise: number): number {
  if (totalSurprise <= RISK_SURPRISE_FLOOR) return totalSurprise > 0 ? (RISK_AT_FLOOR * totalSurprise) / RISK_SURPRISE_FLOOR : 0;
  return 1 - (1 - RISK_AT_FLOOR) * Math.pow(10, -(totalSurprise - RISK_SURPRISE_FLOOR) / RISK_SURPRISE_PER_DECADE);
}

/**
 * The learned model reads the detectors' own findings (learn/features.ts), so much of its evidence
 * is theirs counted again: its calibrated surprise counts half. Measured on tuning seeds 11 and 13
 * with models/default: ROC-AUC unchanged (0.968 → 0.967, 0.970 → 0.969) while the alerts opened at
 * the default threshold fell from ~360 to ~200 (the 1-per-1,000 threshold moved from ~0.86 back to ~0.79).
 */
export const MODEL_SURPRISE_WEIGHT = 0.5;

/** Share of the agent's recent peak surprise an event carries, and how fast that peak fades. */
export const CARRY_SHARE = 0.5;
export const CARRY_TIME_CONSTANT_MS = 5 * 60_000;
export const CARRY_SIGNAL = 'recent_activity';

const NO_RISK: EventScore = Object.freeze({ risk: 0, reasons: Object.freeze([]) as unknown as SignalFinding[] });

/** Whose routine discounted a finding: the agent's own, or its agent type's (signal-routine.ts). */
type RoutineOf = 'agent' | 'peers';

interface WeighedFinding {
  finding: SignalFinding;
  /** Calibrated surprise after the agent's routine discount. */
  surprise: number;
  /** Share of the agent's active hours the signal fired in (or of its peers', if higher); 0 when it never did. */
  routineShare: number;
  routineOf: RoutineOf;
  /** Other agents of its type that adopted the event's action lately, when that discounted the finding more (0: it did not). */
  adopters: number;
}

/** Other adopters at which an action's novelty counts for nothing; each one fewer leaves a quarter more. */
export const ADOPTERS_FOR_FULL_DISCOUNT = 4;

export class RiskCalibrator {
  readonly fleet = new FleetCalibration();
  private readonly countEndedHour = (highestLevels: Int8Array): void => this.fleet.countAgentHour(ROUTINE_SIGNALS, highestLevels);

  /**
   * The calibrated score of one event of the agent whose routine is `routine`, which it updates
   * (and, when the agent's hour changes, the fleet's counts). Call once per event, in order.
   */
  /** What is routine per agent type (signal-routine.ts), from the last refresh; none until then. */
  peerRoutines: PeerRoutines = new Map();

  /**
   * `adopters`: other agents of the agent's type that adopted the event's action lately
   * (fleet-adoption.ts); their count discounts its action and workflow findings.
   */
  score(findings: readonly SignalFinding[], routine: SignalRoutine, timeMs: number, agentType?: string, weakEvidence = 0, adopters = 0): EventScore {
    advanceRoutineHour(routine, timeMs, this.countEndedHour);
    const peerShares = agentType === undefined ? undefined : this.peerRoutines.get(agentType);
    const recentPeak = routine.recentSurprise;
    const sinceRecentMs = Math.max(0, timeMs - routine.recentSurpriseMs);
    const carried = recentPeak === 0 ? 0 : recentPeak * Math.exp(-sinceRecentMs / CARRY_TIME_CONSTANT_MS);
    let total = WEAK_EVIDENCE_WEIGHT * weakEvidence;
    let weighed: WeighedFinding[] | undefined; // most events have no findings: allocate only when needed
    for (const finding of findings) {
      const weight = finding.signal === LEARNED_MODEL_SIGNAL ? MODEL_SURPRISE_WEIGHT : 1;
      const weak = weight * WEAK_EVIDENCE_WEIGHT * weakEvidenceUnits(finding.score);
      if (finding.score < REASON_MIN_SCORE) {
        total += weak;
        continue;
      }
      const fleetSurprise = this.fleet.surprise(finding.signal, finding.score);
      const index = routineIndex(finding.signal);
      let share = 0;
      let routineOf: RoutineOf = 'agent';
      if (index >= 0) {
        noteSignal(routine, index, scoreLevel(finding.score), fleetSurprise >= ROUTINE_FIRING_SURPRISE);
      }
      if (index >= 0 && routineDiscounts(finding.signal)) {
        share = routineShare(routine, index);
        const peerShare = peerShares?.[index] ?? 0;
        if (peerShare > share) [share, routineOf] = [peerShare, 'peers'];
      }
      let kept = routineDiscount(share);
      let adoptedBy = 0;
      if (adopters > 0 && ADOPTION_SIGNALS.has(finding.signal)) {
        const adoptionKept = Math.max(0, 1 - adopters / ADOPTERS_FOR_FULL_DISCOUNT);
        if (adoptionKept < kept) [kept, adoptedBy] = [adoptionKept, adopters];
      }
      const surprise = fleetSurprise * kept * weight;
      total += Math.max(weak, surprise);
      (weighed ??= []).push({ finding, surprise, routineShare: share, routineOf, adopters: adoptedBy });
    }
    if (total >= carried) {
      routine.recentSurprise = total;
      routine.recentSurpriseMs = Math.max(timeMs, routine.recentSurpriseMs);
    } else if (carried < MIN_CARRIED_SURPRISE) {
      routine.recentSurprise = 0;
    }
    const carriedShare = CARRY_SHARE * carried;
    if (carriedShare > total) {
      const reason = `follows this agent's risky activity ${formatDuration(sinceRecentMs)} ago (risk ${riskFromSurprise(recentPeak).toFixed(2)})`;
      (weighed ??= []).push({ finding: { signal: CARRY_SIGNAL, score: 1, reason }, surprise: carriedShare, routineShare: 0, routineOf: 'agent', adopters: 0 });
      total = carriedShare;
    }
    return weighed === undefined
      ? total > 0
        ? { risk: riskFromSurprise(total), reasons: [] }
        : NO_RISK
      : { risk: riskFromSurprise(total), reasons: topReasons(weighed) };
  }
}

/**
 * What a unit of weak evidence adds (surprise.ts; a unit is one detector's sub-floor surprise L/2,
 * so at most 1, reached at the 1% level; the model's counts half). The largest weight, rounded
 * down, at which weak evidence alone can never reach the default alert threshold: all 14
 * detectors and the model at the 1% level give 14.5 × 0.3 = 4.35 < 4.8 (risk 0.74 < 0.8). Ten
 * detectors a little surprised (L = 1 each) add 1.5, risk 0.0075 — ranked above calls with
 * nothing unusual, below most calibrated findings of a rare signal. Measured on tuning seeds 11,
 * 13 and 23 with everything else of 2026-11-26 in place: ROC-AUC 0.9833 / 0.9755 / 0.9818 at 0.1,
 * 0.9845 / 0.9767 / 0.9830 at 0.2, 0.9855 / 0.9776 / 0.9837 at 0.3, alerts opened +0%, +4%, +10%;
 * adding it on top of calibrated findings instead of max() opened ~20% more.
 */
export const WEAK_EVIDENCE_WEIGHT = 0.3;

/**
 * A routine is named in a reason once it takes at least a tenth off the finding (share ≥ 0.4% of
 * 4%): smaller shares — common now that peers' routines count — only cluttered the reasons.
 */
const ROUTINE_NOTE_MIN_SHARE = 0.1 * ROUTINE_SHARE_FOR_FULL_DISCOUNT;

/** Below this a carried surprise is forgotten (risk contribution under 0.002). */
const MIN_CARRIED_SURPRISE = 0.1;

/**
 * The MAX_REASONS findings that contributed most after calibration, each with what it was
 * compared to; a reason's score is the risk its finding alone would give.
 */
function topReasons(weighed: WeighedFinding[]): SignalFinding[] {
  weighed.sort((a, b) => b.surprise - a.surprise || b.finding.score - a.finding.score || (a.finding.signal < b.finding.signal ? -1 : 1));
  const reasons: SignalFinding[] = [];
  for (const { finding, surprise, routineShare: share, routineOf, adopters } of weighed.slice(0, MAX_REASONS)) {
    const routineNote =
      adopters > 0
        ? `adopted by ${adopters} other agent${adopters === 1 ? '' : 's'} of its type in the last ${ADOPTION_WINDOW_MS / DAY_MS} days (a release?)`
        : routineOf === 'agent'
          ? `routine for this agent: fired in ${formatShare(share)} of its active hours`
          : `routine for its peers: fired in ${formatShare(share)} of their active hours`;
    const reason = adopters > 0 || share >= ROUTINE_NOTE_MIN_SHARE ? `${finding.reason}; ${routineNote}` : finding.reason;
    reasons.push({ signal: finding.signal, score: riskFromSurprise(surprise), reason });
  }
  return reasons;
}
