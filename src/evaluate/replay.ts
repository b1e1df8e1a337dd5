// Replays an events NDJSON file through Warden's real pipeline — EventParser, AgentRegistry and
// EventProcessor (scoreAndLearn, alert grouping) with the app's default options — and hands each
// scored event, in file order, to the caller. Lines the parser refuses are counted by reason and
// their first examples kept with line numbers: reported, never silently dropped.
//
// Event time only: the processor's clock is +∞, so the parser's "too far in the future" check
// (which compares against the receiving clock) never refuses a simulated future date, and no
// behaviour depends on when the replay runs.
import { DEFAULT_SCORING_OPTIONS } from '../detect/score-event.js';
import { buildAuditEventSchema } from '../events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../events/limits.js';
import { EventParser } from '../events/parse-event.js';
import type { RejectionCode } from '../events/rejection.js';
import { createMetrics } from '../metrics.js';
import { type BatchModel, EventProcessor, type ProcessorOptions, type RawRecord } from '../pipeline.js';
import { AgentRegistry } from '../profile/agent-registry.js';
import type { EventRow } from '../store/rows.js';

/** What an evaluation reads of a scored event (a subset of the row Warden would store). */
export type ReplayedEvent = Pick<
  EventRow,
  'event_id' | 'agent_id' | 'time' | 'risk' | 'action' | 'resource_type' | 'resource_id' | 'source_ip' | 'outcome' | 'bytes' | 'records'
>;

export interface RejectedLine {
  line: number;
  code: RejectionCode;
  reason: string;
}

export interface ReplaySummary {
  linesRead: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Partial<Record<RejectionCode, number>>;
  /** The first MAX_REJECTED_EXAMPLES refused lines. */
  rejectedExamples: RejectedLine[];
  alertsOpened: number;
}

export interface ReplayOptions {
  /** Called with the number of lines read so far, every PROGRESS_EVERY_LINES lines. */
  onProgress?: (linesRead: number) => void;
  batchLines?: number;
  /** A learned model to score with, as the service does with WARDEN_MODEL (none by default). */
  model?: BatchModel;
}

/** The app's settings defaults (config/settings.ts): risk ≥ 0.8 alerts, 15 min of quiet closes one. */
export const EVAL_PROCESSOR_OPTIONS: ProcessorOptions = {
  scoring: DEFAULT_SCORING_OPTIONS,
  alerts: { riskThreshold: 0.8, quietGapMs: 15 * 60_000, maxEventIdsPerAlert: 100, maxReasonsPerAlert: 8 },
};

const MAX_REJECTED_EXAMPLES = 20;
/**
 * The service rebuilds peer baselines every minute of wall-clock time (app.ts); a replay runs far
 * faster than the events happened, so it rebuilds them every PEER_REFRESH_EVENT_MS of event time.
 */
const PEER_REFRESH_EVENT_MS = 60 * 60_000;
const PROGRESS_EVERY_LINES = 50_000;
const EVAL_SOURCE = 'eval';

/** Scores the lines of `lines` (an NDJSON stream) in order; `onEvent` sees every accepted event. */
export async function replayLines(lines: AsyncIterable<string>, onEvent: (event: ReplayedEvent) => void, options: ReplayOptions = {}): Promise<ReplaySummary> {
  const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
  const agents = new AgentRegistry(EVAL_SOURCE);
  const metrics = createMetrics();
  const processorOptions: ProcessorOptions = options.model ? { ...EVAL_PROCESSOR_OPTIONS, model: options.model } : EVAL_PROCESSOR_OPTIONS;
  const processor = new EventProcessor(parser, agents, metrics, processorOptions, () => Number.POSITIVE_INFINITY);
  const batchLines = options.batchLines ?? 2000;
  const summary: ReplaySummary = { linesRead: 0, accepted: 0, rejected: 0, rejectedByCode: {}, rejectedExamples: [], alertsOpened: 0 };

  let batch: RawRecord[] = [];
  let peersRefreshedAtMs = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (batch.length === 0) return;
    const processed = processor.process(batch, { source: EVAL_SOURCE });
    const newestMs = processed.eventRows.reduce((newest, row) => Math.max(newest, row.time), peersRefreshedAtMs);
    if (newestMs - peersRefreshedAtMs >= PEER_REFRESH_EVENT_MS) {
      processor.refreshPeers();
      peersRefreshedAtMs = newestMs;
    }
    for (const row of processed.eventRows) onEvent(row);
    summary.accepted += processed.acceptedCount;
    for (const { record, rejection } of processed.rejected) {
      summary.rejected += 1;
      summary.rejectedByCode[rejection.code] = (summary.rejectedByCode[rejection.code] ?? 0) + 1;
      if (summary.rejectedExamples.length < MAX_REJECTED_EXAMPLES) {
        summary.rejectedExamples.push({ line: Number(record.position), code: rejection.code, reason: rejection.reason });
      }
    }
    batch = [];
  };

  for await (const line of lines) {
    summary.linesRead += 1;
    // Partition -1 marks a file record: never a Kafka replay, so every accepted line is scored.
    batch.push({ value: line, origin: { topic: '', partition: -1, offset: -1 }, position: String(summary.linesRead) });
    if (batch.length >= batchLines) flush();
    if (options.onProgress && summary.linesRead % PROGRESS_EVERY_LINES === 0) options.onProgress(summary.linesRead);
  }
  flush();
  summary.alertsOpened = (await metrics.alertsOpened.get()).values.reduce((sum, value) => sum + value.value, 0);
  return summary;
}
