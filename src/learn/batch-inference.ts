// The learned model over one batch of scored events, as the pipeline (and the bench that times it)
// runs it: one inference over the events past their agent's warm-up — the events the model was
// trained on — and, per event, the model's finding to fold in with the detectors'.
import type { SignalFinding } from '../detect/combine.js';
import type { AuditEvent } from '../events/audit-event.js';
import { modelFeatures } from './features.js';

/** A learned model that scores a whole batch of feature rows at once (model-scorer.ts). */
export interface BatchModel {
  readonly width: number;
  scoreBatch(features: Float32Array, rows: number): Float32Array;
  modelFinding(score: number): SignalFinding | undefined;
}

/** What batch inference reads of one scored event. */
export interface ScoredForModel {
  event: AuditEvent;
  /** The detectors' findings for the event. */
  findings: readonly SignalFinding[];
  pastWarmup: boolean;
}

export class BatchInference {
  /** Feature rows, reused across batches (grown, never shrunk). */
  private features = new Float32Array(0);

  constructor(private readonly model: BatchModel) {}

  /** The model's finding per event of `scored` (same order); undefined before warm-up or where it found nothing. */
  findings(scored: readonly ScoredForModel[]): (SignalFinding | undefined)[] {
    const width = this.model.width;
    let rows = 0;
    for (const item of scored) if (item.pastWarmup) rows++;
    const found = new Array<SignalFinding | undefined>(scored.length).fill(undefined);
    if (rows === 0) return found;
    if (this.features.length < rows * width) this.features = new Float32Array(rows * width * 2);
    let row = 0;
    for (const item of scored) if (item.pastWarmup) modelFeatures(item.findings, item.event, this.features, row++ * width);
    const scores = this.model.scoreBatch(this.features, rows);
    row = 0;
    for (let i = 0; i < scored.length; i++) if ((scored[i] as ScoredForModel).pastWarmup) found[i] = this.model.modelFinding(scores[row++] ?? 0);
    return found;
  }
}
