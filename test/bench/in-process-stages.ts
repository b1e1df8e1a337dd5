// The two CPU stages of Warden's pipeline timed in this process, without Kafka or ClickHouse:
// parsing raw bytes into events (EventParser) and scoring them against per-agent profiles
// (scoreAndLearn, then the calibration that turns findings into the stored risk). Together with
// the end-to-end run they show where Warden's time goes.
import { RiskCalibrator } from '../../src/detect/calibrate.js';
import { DEFAULT_SCORING_OPTIONS, scoreAndLearn } from '../../src/detect/score-event.js';
import { type BatchModel, BatchInference, type ScoredForModel } from '../../src/learn/batch-inference.js';
import { buildAuditEventSchema } from '../../src/events/audit-event.js';
import type { AuditEvent } from '../../src/events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../../src/events/limits.js';
import { EventParser } from '../../src/events/parse-event.js';
import { type AgentProfile, createProfile, profileToJson } from '../../src/profile/agent-profile.js';
import type { BenchRecord } from './bench-fleet.js';

export interface ParseResult {
  events: AuditEvent[];
  eventsPerSecond: number;
}

/** Parses every record as Warden does (schema, limits, attributes); any rejection is a bench bug. */
export function parseAll(records: readonly BenchRecord[]): ParseResult {
  const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
  const nowMs = Date.now();
  // Kafka hands Warden Buffers, so parse Buffers too.
  const raw = records.map((record) => Buffer.from(record.value));
  const events: AuditEvent[] = new Array<AuditEvent>(raw.length);
  const started = performance.now();
  for (let i = 0; i < raw.length; i += 1) {
    const parsed = parser.parse(raw[i] as Buffer, nowMs);
    if (!parsed.ok) throw new Error(`generated event ${i} was rejected: ${parsed.rejection.code} ${parsed.rejection.reason}`);
    events[i] = parsed.event;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, eventsPerSecond: events.length / seconds };
}

export interface ScoringPass {
  eventsPerSecond: number;
  agents: number;
  flaggedEvents: number;
  profiles: Map<string, AgentProfile>;
}

/** Events scored between model inferences: the batch the service and the evaluation hand the processor. */
const MODEL_BATCH_EVENTS = 2000;

/**
 * One pass over `events` with fresh profiles and calibration: every agent starts from nothing, as
 * on first start. With `model`, as the pipeline does it: per batch of MODEL_BATCH_EVENTS, the
 * detectors score every event, the model scores the batch's events past warm-up in one inference,
 * and calibration folds its findings in.
 */
export function scoringPass(events: readonly AuditEvent[], model?: BatchModel): ScoringPass {
  const profiles = new Map<string, AgentProfile>();
  const calibrator = new RiskCalibrator();
  const inference = model ? new BatchInference(model) : undefined;
  let flaggedEvents = 0;
  const started = performance.now();
  for (let start = 0; start < events.length; start += MODEL_BATCH_EVENTS) {
    const batch: (ScoredForModel & { profile: AgentProfile })[] = [];
    for (const event of events.slice(start, start + MODEL_BATCH_EVENTS)) {
      let profile = profiles.get(event.agent.id);
      if (profile === undefined) {
        profile = createProfile(event);
        profiles.set(event.agent.id, profile);
      }
      const pastWarmup = profile.eventsSeen >= DEFAULT_SCORING_OPTIONS.warmupEvents;
      batch.push({ event, profile, pastWarmup, findings: scoreAndLearn(profile, event).reasons });
    }
    const modelFindings = inference?.findings(batch);
    batch.forEach(({ event, profile, findings }, index) => {
      const modelFinding = modelFindings?.[index];
      const all = modelFinding ? [...findings, modelFinding] : findings;
      if (calibrator.score(all, profile.routine, event.timeMs).risk >= 0.8) flaggedEvents += 1;
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: events.length / seconds, agents: profiles.size, flaggedEvents, profiles };
}

/** Size of profileToJson per agent: the profile alone, before the checkpoint row wraps it. */
export function profileJsonBytes(profiles: Map<string, AgentProfile>): { average: number; max: number } {
  let total = 0;
  let max = 0;
  for (const profile of profiles.values()) {
    const bytes = Buffer.byteLength(profileToJson(profile));
    total += bytes;
    max = Math.max(max, bytes);
  }
  return { average: profiles.size === 0 ? 0 : total / profiles.size, max };
}
