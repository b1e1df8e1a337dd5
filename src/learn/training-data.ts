// Training rows for the learned model, made by replaying history through Warden's real code:
// each line is parsed by EventParser and scored by scoreAndLearn against its agent's profile in
// an AgentRegistry, exactly as the pipeline would, and the scored findings plus the event become
// one feature row (features.ts).
//
// Only events believed benign train the model: not labelled as an attack, scored below the risk
// that keeps an event out of the baseline, and past the agent's warm-up (whose rows carry no
// findings at all). Two further samples are kept, with each event's detector risk, to measure
// the model on and never to train it: labelled attack events, and a held-out share of all other
// events after warm-up — calm and risky alike, the false-alarm population Warden really faces.
//
// Event time only: the parser's clock is +∞, so its "too far in the future" check never refuses
// a simulated future date, and nothing depends on when the replay runs.
import { DEFAULT_SCORING_OPTIONS, scoreAndLearn } from '../detect/score-event.js';
import { buildAuditEventSchema } from '../events/audit-event.js';
import { DEFAULT_EVENT_LIMITS } from '../events/limits.js';
import { EventParser } from '../events/parse-event.js';
import type { RejectionCode } from '../events/rejection.js';
import { AgentRegistry } from '../profile/agent-registry.js';
import { Random } from '../simulate/random.js';
import { MODEL_FEATURE_COUNT, modelFeatures } from './features.js';

export interface TrainingDataOptions {
  /** The attack kind of a labelled event, undefined for an unlabelled one. */
  attackKindOf?: (eventId: string) => string | undefined;
  /** At most this many training rows, a uniform sample (reservoir) of all eligible ones. */
  maxRows: number;
  /** Share of unlabelled events after warm-up set aside for measuring (never trained on). */
  heldOutShare: number;
  /** At most this many held-out rows and at most this many attack rows are kept. */
  maxMeasureRows: number;
  /** Seeds the held-out choice and the samples. */
  seed: number;
  /** Each agent's first this many events are not rows (the profile's warm-up). */
  warmupEvents: number;
  /** Events scored at or above this risk are not benign enough to train on. */
  excludeRiskAtOrAbove: number;
  /** Called every PROGRESS_EVERY_LINES lines. */
  onProgress?: (linesRead: number, trainingRows: number) => void;
}

export const DEFAULT_TRAINING_DATA_OPTIONS: Readonly<TrainingDataOptions> = Object.freeze({
  maxRows: 500_000,
  heldOutShare: 0.1,
  maxMeasureRows: 100_000,
  seed: 1,
  warmupEvents: DEFAULT_SCORING_OPTIONS.warmupEvents,
  excludeRiskAtOrAbove: DEFAULT_SCORING_OPTIONS.learnBelowRisk,
});

export interface TrainingDataSummary {
  linesRead: number;
  accepted: number;
  rejectedByCode: Partial<Record<RejectionCode, number>>;
  agents: number;
  /** Rows eligible for training before sampling down to maxRows. */
  eligibleRows: number;
  excluded: { warmup: number; labelled: number; heldOut: number; risky: number; sampledOut: number };
}

/** Rows kept to measure the model on, each with the detectors' combined risk for its event. */
export interface MeasureRows {
  rows: Float32Array;
  rowCount: number;
  risks: Float32Array;
}

export interface TrainingData {
  width: number;
  /** Training rows, row-major. */
  rows: Float32Array;
  rowCount: number;
  heldOut: MeasureRows;
  attacks: MeasureRows & { kinds: string[] };
  summary: TrainingDataSummary;
}

const PROGRESS_EVERY_LINES = 50_000;

/** Replays NDJSON `lines` in order (see the top of this file). */
export async function buildTrainingData(lines: AsyncIterable<string>, options: TrainingDataOptions): Promise<TrainingData> {
  const parser = new EventParser(buildAuditEventSchema(DEFAULT_EVENT_LIMITS), DEFAULT_EVENT_LIMITS);
  const agents = new AgentRegistry('train');
  const scoring = { ...DEFAULT_SCORING_OPTIONS, warmupEvents: options.warmupEvents };
  const holdOut = new Random(options.seed, 'learn.held-out');
  const training = new RowReservoir(options.maxRows, MODEL_FEATURE_COUNT, new Random(options.seed, 'learn.training-rows'));
  const heldOut = new RowReservoir(options.maxMeasureRows, MODEL_FEATURE_COUNT, new Random(options.seed, 'learn.held-out-rows'));
  const attacks = new RowReservoir(options.maxMeasureRows, MODEL_FEATURE_COUNT, new Random(options.seed, 'learn.attack-rows'));
  const attackKinds: string[] = [];
  const row = new Float32Array(MODEL_FEATURE_COUNT);
  const summary: TrainingDataSummary = {
    linesRead: 0,
    accepted: 0,
    rejectedByCode: {},
    agents: 0,
    eligibleRows: 0,
    excluded: { warmup: 0, labelled: 0, heldOut: 0, risky: 0, sampledOut: 0 },
  };

  for await (const line of lines) {
    summary.linesRead++;
    if (options.onProgress && summary.linesRead % PROGRESS_EVERY_LINES === 0) options.onProgress(summary.linesRead, training.count);
    if (line.trim() === '') continue;
    const parsed = parser.parse(line, Number.POSITIVE_INFINITY);
    if (!parsed.ok) {
      summary.rejectedByCode[parsed.rejection.code] = (summary.rejectedByCode[parsed.rejection.code] ?? 0) + 1;
      continue;
    }
    summary.accepted++;
    const event = parsed.event;
    const { profile } = agents.getOrCreate(event, -1);
    const score = scoreAndLearn(profile, event, scoring);
    const attackKind = options.attackKindOf?.(event.id);
    if (profile.eventsSeen <= options.warmupEvents) {
      summary.excluded.warmup++;
      if (attackKind !== undefined) summary.excluded.labelled++;
      continue;
    }
    modelFeatures(score.reasons, event, row, 0);
    if (attackKind !== undefined) {
      summary.excluded.labelled++;
      const slot = attacks.offer(row, score.risk);
      if (slot !== undefined) attackKinds[slot] = attackKind;
    } else if (holdOut.chance(options.heldOutShare)) {
      summary.excluded.heldOut++;
      heldOut.offer(row, score.risk);
    } else if (score.risk >= options.excludeRiskAtOrAbove) {
      summary.excluded.risky++;
    } else {
      training.offer(row, score.risk);
    }
  }
  summary.agents = agents.size;
  summary.eligibleRows = training.seen;
  summary.excluded.sampledOut = training.seen - training.count;
  return {
    width: MODEL_FEATURE_COUNT,
    rows: training.rows(),
    rowCount: training.count,
    heldOut: heldOut.sample(),
    attacks: { ...attacks.sample(), kinds: attackKinds.slice(0, attacks.count) },
    summary,
  };
}

/** A uniform sample of at most `capacity` rows from a stream (Vitter's algorithm R), growing its buffers as it fills. */
class RowReservoir {
  private buffer = new Float32Array(0);
  private risks = new Float32Array(0);
  count = 0;
  seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly width: number,
    private readonly random: Random,
  ) {}

  /** Copies `row` (and its event's risk) in if it is sampled; returns the slot it took. */
  offer(row: Float32Array, risk: number): number | undefined {
    this.seen++;
    let slot: number | undefined;
    if (this.count < this.capacity) {
      slot = this.count++;
      if (this.count > this.risks.length) this.grow();
    } else {
      const pick = this.random.int(0, this.seen - 1);
      if (pick < this.capacity) slot = pick;
    }
    if (slot !== undefined) {
      this.buffer.set(row, slot * this.width);
      this.risks[slot] = risk;
    }
    return slot;
  }

  rows(): Float32Array {
    return this.buffer.subarray(0, this.count * this.width);
  }

  sample(): MeasureRows {
    return { rows: this.rows(), rowCount: this.count, risks: this.risks.subarray(0, this.count) };
  }

  private grow(): void {
    const rows = Math.min(Math.max(this.count, 2 * this.risks.length, 1024), this.capacity);
    const buffer = new Float32Array(rows * this.width);
    buffer.set(this.buffer);
    this.buffer = buffer;
    const risks = new Float32Array(rows);
    risks.set(this.risks);
    this.risks = risks;
  }
}
