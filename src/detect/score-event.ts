// Scores one event against its agent's profile and updates the profile: the detect stage for one
// event. Pure: no I/O, no clock (time is event.timeMs), no randomness.
//
// Order per event: every detector observes it (short windows), then, unless the profile is still
// warming up, every detector scores it and the findings are combined (combine.ts); only if the
// risk is below learnBelowRisk does it enter the long-term baseline (learnOne), so a flagged
// burst cannot teach the baseline that it is normal.
import type { AuditEvent } from '../events/audit-event.js';
import type { AgentProfile } from '../profile/agent-profile.js';
import { combineFindings, type EventScore, type SignalFinding } from './combine.js';
import type { Detector } from './detector.js';
import { DETECTORS } from './registry.js';

export type { EventScore, SignalFinding } from './combine.js';

export interface ScoringOptions {
  /** Events scored at or above this risk do not enter the baseline. Default 0.5. */
  learnBelowRisk: number;
  /** Until this many events have been learned, nothing is scored (risk 0) and everything is learned. Default 30. */
  warmupEvents: number;
}

export const DEFAULT_SCORING_OPTIONS: ScoringOptions = Object.freeze({ learnBelowRisk: 0.5, warmupEvents: 30 });

/** Scores `event` for `profile`'s agent and updates the profile in place. */
export function scoreAndLearn(profile: AgentProfile, event: AuditEvent, options: ScoringOptions = DEFAULT_SCORING_OPTIONS): EventScore {
  // Each slice belongs to the detector of the same name; the registry types them together.
  const signals = profile.signals as unknown as Record<string, unknown>;
  // Indexed loops: this runs ~10⁵–10⁶ times a second and for-of allocates an iterator per loop.
  for (let i = 0; i < DETECTORS.length; i++) {
    const detector = DETECTORS[i] as Detector<unknown>;
    detector.observeOne(signals[detector.name], event);
  }
  profile.eventsSeen++;
  if (event.timeMs > profile.lastEventMs) profile.lastEventMs = event.timeMs;
  if (event.agent.type !== undefined) profile.agentType = event.agent.type;
  if (event.agent.owner !== undefined) profile.owner = event.agent.owner;

  let score: EventScore;
  if (profile.eventsLearned < options.warmupEvents) {
    score = { risk: 0, reasons: [] };
  } else {
    let findings: SignalFinding[] | undefined; // most events have none: allocate only when needed
    for (let i = 0; i < DETECTORS.length; i++) {
      const detector = DETECTORS[i] as Detector<unknown>;
      const verdict = detector.scoreOne(signals[detector.name], event);
      if ('warmingUp' in verdict || verdict.score <= 0) continue;
      (findings ??= []).push({ signal: detector.name, score: verdict.score, reason: verdict.reason });
    }
    score = findings === undefined ? { risk: 0, reasons: [] } : combineFindings(findings);
  }

  if (score.risk < options.learnBelowRisk) {
    for (let i = 0; i < DETECTORS.length; i++) {
      const detector = DETECTORS[i] as Detector<unknown>;
      detector.learnOne(signals[detector.name], event);
    }
    profile.eventsLearned++;
  }
  return score;
}
