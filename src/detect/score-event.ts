// Scores one event against its agent's profile and updates the profile: the detect stage for one
// event. Pure: no I/O, no clock (time is event.timeMs), no randomness.
//
// Order per event: every detector observes it (short windows), then, unless the profile is still
// warming up, every detector scores it and the findings are combined (combine.ts); only if the
// risk is below learnBelowRisk does it enter the long-term baseline (learnOne), so a flagged
// burst cannot teach the baseline that it is normal.
//
// Peers (optional, options.peers): while a profile is in its peer phase (peer-baselines.ts), the
// detectors that can compare with peers score against a blend of their peer group's baseline and
// their own — already during the profile's warm-up, when nothing else is scored. Those findings
// raise the risk, but whether the event enters the baseline is decided by the agent's own
// baseline alone (such a detector is asked again with scoreOne): an agent that legitimately
// differs from its peers would otherwise never learn its own and stay flagged for good. The
// warm-up still learns every event.
import type { AuditEvent } from '../events/audit-event.js';
import { type AgentProfile, signalSlices } from '../profile/agent-profile.js';
import { inPeerPhase, type PeerBaselines, type PeerComparison, peerComparison } from '../profile/peer-baselines.js';
import { combineFindings, type EventScore, REASON_MIN_SCORE, type SignalFinding, weakEvidenceUnits } from './combine.js';
import { type Detector, type DetectorVerdict, ignoreObservation, WARMING_UP } from './detector.js';
import { DETECTORS } from './registry.js';

export type { EventScore, SignalFinding } from './combine.js';

/** The detectors that keep a short window; the others' observeOne is the shared no-op. */
const OBSERVING_DETECTORS = DETECTORS.filter((detector) => detector.observeOne !== ignoreObservation);
const OBSERVING_INDEXES = OBSERVING_DETECTORS.map((detector) => DETECTORS.indexOf(detector));

export interface ScoringOptions {
  /** Events scored at or above this risk do not enter the baseline. Default 0.5. */
  learnBelowRisk: number;
  /** Until this many events have been learned, everything is learned and nothing is scored (risk 0) but against peers. Default 30. */
  warmupEvents: number;
  /** Peer groups' baselines for agents still short of their own; none by default. */
  peers?: PeerBaselines;
}

export const DEFAULT_SCORING_OPTIONS: ScoringOptions = Object.freeze({ learnBelowRisk: 0.5, warmupEvents: 30 });

/** The score of the many events without findings: one shared, frozen object instead of two allocations per event. */
const NO_FINDINGS = Object.freeze([]) as unknown as SignalFinding[];
const NOTHING_FOUND: EventScore = Object.freeze({ risk: 0, reasons: NO_FINDINGS });

/** Scores `event` for `profile`'s agent and updates the profile in place. */
export function scoreAndLearn(profile: AgentProfile, event: AuditEvent, options: ScoringOptions = DEFAULT_SCORING_OPTIONS): EventScore {
  // Slice i belongs to DETECTORS[i]; the registry types them together.
  const slices = signalSlices(profile);
  // Indexed loops: this runs ~10⁵–10⁶ times a second and for-of allocates an iterator per loop.
  for (let i = 0; i < OBSERVING_DETECTORS.length; i++) {
    (OBSERVING_DETECTORS[i] as Detector<unknown>).observeOne(slices[OBSERVING_INDEXES[i] as number], event);
  }
  profile.eventsSeen++;
  if (event.timeMs > profile.lastEventMs) profile.lastEventMs = event.timeMs;
  if (event.agent.type !== undefined) profile.agentType = event.agent.type;
  if (event.agent.owner !== undefined) profile.owner = event.agent.owner;

  const peers: PeerComparison | undefined =
    options.peers !== undefined && inPeerPhase(profile) ? peerComparison(options.peers, profile.agentType, profile.owner) : undefined;
  const warmingUp = profile.eventsLearned < options.warmupEvents;
  let score: EventScore;
  /** Π(1 − score) over the findings that rest on the agent's own baseline: what gates learning. */
  let ownUnflagged = 1;
  if (warmingUp && peers === undefined) {
    score = NOTHING_FOUND;
  } else {
    let findings: SignalFinding[] | undefined; // most events have none: allocate only when needed
    let weakEvidence = 0;
    for (let i = 0; i < DETECTORS.length; i++) {
      const detector = DETECTORS[i] as Detector<unknown>;
      let verdict: DetectorVerdict;
      if (peers !== undefined && detector.scoreWithPeers !== undefined) verdict = detector.scoreWithPeers(slices[i], event, peers);
      else if (warmingUp) continue;
      else verdict = detector.scoreOne(slices[i], event);
      if ('warmingUp' in verdict || verdict.score <= 0) continue;
      // What gates learning is the agent's own baseline alone (see the top comment).
      const own = (verdict.peerWeight ?? 0) > 0 ? (warmingUp ? WARMING_UP : detector.scoreOne(slices[i], event)) : verdict;
      if (!('warmingUp' in own)) ownUnflagged *= 1 - Math.min(1, Math.max(0, own.score));
      if (verdict.score < REASON_MIN_SCORE) weakEvidence += weakEvidenceUnits(verdict.score);
      else (findings ??= []).push({ signal: detector.name, score: verdict.score, reason: verdict.reason });
    }
    if (findings !== undefined) score = combineFindings(findings, weakEvidence);
    else score = weakEvidence > 0 ? { risk: 0, reasons: NO_FINDINGS, weakEvidence } : NOTHING_FOUND;
  }

  if (warmingUp || 1 - ownUnflagged < options.learnBelowRisk) {
    for (let i = 0; i < DETECTORS.length; i++) {
      const detector = DETECTORS[i] as Detector<unknown>;
      detector.learnOne(slices[i], event);
    }
    profile.eventsLearned++;
  }
  return score;
}
