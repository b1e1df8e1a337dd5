// The two CPU stages of Warden's pipeline timed in this process, without Kafka or ClickHouse:
// parsing raw bytes into events (EventParser) and scoring them against per-agent profiles
// (scoreAndLearn, then the calibration that turns findings into the stored risk). Together with
// the end-to-end run they show where Warden's time goes.
import { RiskCalibrator } from '../../src/detect/calibrate.js';
import { scoreAndLearn } from '../../src/detect/score-event.js';
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

/** One pass over `events` with fresh profiles and calibration: every agent starts from nothing, as on first start. */
export function scoringPass(events: readonly AuditEvent[]): ScoringPass {
  const profiles = new Map<string, AgentProfile>();
  const calibrator = new RiskCalibrator();
  let flaggedEvents = 0;
  const started = performance.now();
  for (const event of events) {
    let profile = profiles.get(event.agent.id);
    if (profile === undefined) {
      profile = createProfile(event);
      profiles.set(event.agent.id, profile);
    }
    const findings = scoreAndLearn(profile, event).reasons;
    if (calibrator.score(findings, profile.routine, event.timeMs).risk >= 0.8) flaggedEvents += 1;
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
