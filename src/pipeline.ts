// Where a reader starts: one batch of raw records goes parse → profile/detect (detectors, learned
// model, calibration) → respond (suppressions, alert grouping) → rows for the store. Pure apart
// from the metrics it counts and the calibration it learns; sources call it and do the I/O
// (storing rows, dead-lettering rejects, committing offsets). app.ts wires the components.
import type { AuditEvent } from './events/audit-event.js';
import type { EventParser } from './events/parse-event.js';
import type { Rejection } from './events/rejection.js';
import { RiskCalibrator } from './detect/calibrate.js';
import { ADOPTING_SIGNAL, ADOPTION_SIGNALS, FleetAdoption } from './detect/fleet-adoption.js';
import type { SignalFinding } from './detect/combine.js';
import { type ScoringOptions, scoreAndLearn } from './detect/score-event.js';
import { buildPeerRoutines } from './detect/signal-routine.js';
import { type BatchModel, BatchInference } from './learn/batch-inference.js';
import type { Metrics } from './metrics.js';
import type { AgentEntry, AgentRegistry } from './profile/agent-registry.js';
import { buildPeerBaselines } from './profile/peer-baselines.js';
import { type AlertGroupingOptions, groupRiskyEvent, toAlertRow } from './respond/alert-grouping.js';
import { SuppressionList } from './respond/suppressions.js';
import type { AlertRow, EventRow } from './store/rows.js';

/** Where a record came from: a Kafka position, or (partition -1) HTTP / file ingest. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: number;
}

export interface RawRecord {
  value: Buffer | string | null;
  /** The Kafka message key (the agent id by contract), kept for the dead-letter copy. */
  key?: Buffer | null;
  origin: RecordOrigin;
  /** Position of the record in its source, for people: "line 12", "agent.audit/3@1042". */
  position: string;
}

export interface RejectedRecord {
  record: RawRecord;
  rejection: Rejection;
}

export interface ProcessedBatch {
  eventRows: EventRow[];
  alertRows: AlertRow[];
  rejected: RejectedRecord[];
  acceptedCount: number;
}

export interface ProcessOptions {
  source: string;
  /** Records at or below this offset are already stored (a replay): learn from them, store nothing. */
  storedThroughOffset?: number;
}

export interface ProcessorOptions {
  scoring: ScoringOptions;
  alerts: AlertGroupingOptions;
  /** Signals muted per agent by analysts' false-positive verdicts (none when omitted). */
  suppressions?: SuppressionList;
  /** The learned model, one more signal among the detectors' (none when omitted). */
  model?: BatchModel;
}

export type { BatchModel } from './learn/batch-inference.js';

export class EventProcessor {
  private readonly suppressions: SuppressionList;
  /** Fleet-wide calibration of the signals, learned from the agents this process holds. */
  private readonly calibrator = new RiskCalibrator();
  /** Which agents of each type lately started calling which new actions (releases, fleet-adoption.ts). */
  private readonly adoption = new FleetAdoption();
  /** The learned model's batched inference (none without a model). */
  private readonly inference: BatchInference | undefined;
  /** Scoring options plus the latest peer baselines (refreshPeers). */
  private scoring: ScoringOptions;

  constructor(
    private readonly parser: EventParser,
    private readonly agents: AgentRegistry,
    private readonly metrics: Metrics,
    private readonly options: ProcessorOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.suppressions = options.suppressions ?? new SuppressionList();
    this.inference = options.model ? new BatchInference(options.model) : undefined;
    this.scoring = options.scoring;
  }

  /**
   * Rebuilds, from the mature agents this process holds, the peer baselines (same type, then
   * owner, then fleet) that warming-up agents are compared with, and from all of them what is
   * routine per agent type (calibration's peer routines). Called on a timer: scores therefore
   * depend a little on when the last refresh ran.
   */
  refreshPeers(): void {
    const profiles = [...this.agents.entries()].map(([, entry]) => entry.profile);
    const peers = buildPeerBaselines(profiles);
    this.scoring = { ...this.options.scoring, peers };
    this.agents.peerBaselines = peers;
    this.calibrator.peerRoutines = buildPeerRoutines(profiles);
  }

  process(records: RawRecord[], { source, storedThroughOffset = -1 }: ProcessOptions): ProcessedBatch {
    const nowMs = this.clock();
    const rejected: RejectedRecord[] = [];
    const scored: ScoredRecord[] = [];
    let replaySkipped = 0;

    // Pass 1, per event in order: parse, then score against and teach the agent's baseline.
    for (const record of records) {
      // Offsets only mean something for Kafka records; HTTP and file records are never replays.
      const fromKafka = record.origin.partition >= 0;
      const replayed = fromKafka && record.origin.offset <= storedThroughOffset;
      if (record.value === null) {
        // A Kafka tombstone carries no event; it is still accounted for, never silently dropped.
        if (!replayed) rejected.push({ record, rejection: { code: 'not_json', reason: 'empty message value (tombstone)' } });
        continue;
      }
      const parsed = this.parser.parse(record.value, nowMs);
      if (!parsed.ok) {
        if (!replayed) rejected.push({ record, rejection: parsed.rejection });
        continue;
      }
      const event = parsed.event;
      const entry = this.agents.getOrCreate(event, record.origin.partition);
      if (fromKafka && record.origin.offset <= entry.learnedThroughOffset) {
        // Already in the restored checkpoint (and so already stored): nothing to learn or write.
        replaySkipped += 1;
        continue;
      }
      const pastWarmup = entry.profile.eventsSeen >= this.scoring.warmupEvents;
      const { reasons, weakEvidence = 0 } = scoreAndLearn(entry.profile, event, this.scoring);
      scored.push({ record, event, entry, replayed, pastWarmup, findings: reasons, weakEvidence });
    }

    // The learned model sees the whole batch at once.
    const modelFindings = this.inference?.findings(scored);

    // Pass 2, in order: calibrated risk, suppressions, alert grouping, rows.
    const eventRows: EventRow[] = [];
    const alertsById = new Map<string, AlertRow>();
    for (let index = 0; index < scored.length; index++) {
      const { record, event, entry, replayed, findings: detectorFindings, weakEvidence } = scored[index] as ScoredRecord;
      const modelFinding = modelFindings?.[index];
      let findings = modelFinding ? [...detectorFindings, modelFinding] : detectorFindings;
      findings = this.suppressions.apply(event.agent.id, event.timeMs, findings);
      // A suppression mutes its signals' findings; their weak evidence (at most 0.3 of surprise each,
      // risk 0.0015 on its own) still counts, folded as it is into one number.
      const agentType = entry.profile.agentType;
      // Only an action or workflow finding can be discounted by adoption: most events skip the lookup.
      const adopters =
        agentType !== undefined && findings.some((finding) => ADOPTION_SIGNALS.has(finding.signal))
          ? this.adoption.othersAdopting(agentType, event.action, event.agent.id, event.timeMs)
          : 0;
      const score = this.calibrator.score(findings, entry.profile.routine, event.timeMs, agentType, weakEvidence, adopters);
      if (agentType !== undefined && detectorFindings.some((finding) => finding.signal === ADOPTING_SIGNAL)) {
        this.adoption.noteAdoption(agentType, event.action, event.agent.id, event.timeMs);
      }
      const reasons = score.reasons.map((finding) => finding.reason);
      const signals = score.reasons.map((finding) => finding.signal);
      const update = groupRiskyEvent(
        entry.openAlert,
        { agentId: event.agent.id, eventId: event.id, timeMs: event.timeMs, risk: score.risk, reasons, signals },
        this.options.alerts,
      );
      entry.dirty = true;
      if (update) entry.openAlert = update.alert;
      if (replayed) {
        replaySkipped += 1;
        continue;
      }
      if (update) {
        alertsById.set(update.alert.alertId, toAlertRow(event.agent.id, update.alert));
        if (update.opened) this.metrics.alertsOpened.inc();
      }
      eventRows.push(toEventRow(event, record.origin, score.risk, reasons, update?.alert.alertId ?? '', nowMs));
    }

    const acceptedCount = eventRows.length;
    if (acceptedCount > 0) this.metrics.eventsAccepted.inc({ source }, acceptedCount);
    if (replaySkipped > 0) this.metrics.eventsReplaySkipped.inc(replaySkipped);
    for (const { rejection } of rejected) this.metrics.eventsRejected.inc({ source, reason: rejection.code });
    this.metrics.agentsInMemory.set(this.agents.size);
    return { eventRows, alertRows: [...alertsById.values()], rejected, acceptedCount };
  }
}

interface ScoredRecord {
  record: RawRecord;
  event: AuditEvent;
  entry: AgentEntry;
  replayed: boolean;
  pastWarmup: boolean;
  /** The detectors' findings (scoreAndLearn), before the model, suppressions and calibration. */
  findings: readonly SignalFinding[];
  /** The detectors' weak evidence (EventScore.weakEvidence), 0 if none. */
  weakEvidence: number;
}

/** The `events` row of a scored event (ARCHITECTURE §4). */
export function toEventRow(event: AuditEvent, origin: RecordOrigin, risk: number, reasons: string[], alertId: string, nowMs: number): EventRow {
  return {
    event_id: event.id,
    time: event.timeMs,
    agent_id: event.agent.id,
    agent_type: event.agent.type ?? '',
    agent_owner: event.agent.owner ?? '',
    action: event.action,
    resource_type: event.resource?.type ?? '',
    resource_id: event.resource?.id ?? '',
    outcome: event.outcome,
    user_id: event.on_behalf_of?.user_id ?? '',
    token_id: event.token?.id ?? '',
    client_id: event.token?.client_id ?? '',
    scopes: event.token?.scopes ?? [],
    source_ip: event.source?.ip ?? '',
    user_agent: event.source?.user_agent ?? '',
    bytes: event.bytes ?? 0,
    records: event.records ?? 0,
    session_id: event.session_id ?? '',
    trace_id: event.trace_id ?? '',
    task_id: event.task_id ?? event.task?.id ?? '',
    declared_actions: event.task?.declared_actions ?? [],
    attributes: Object.keys(event.attributes).length === 0 ? '' : JSON.stringify(event.attributes),
    risk,
    reasons,
    alert_id: alertId,
    kafka_topic: origin.topic,
    kafka_partition: origin.partition,
    kafka_offset: origin.offset,
    ingested_at: nowMs,
  };
}
