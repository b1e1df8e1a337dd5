// Inference with a saved model: one call scores a whole batch of feature rows (features.ts) and
// answers synchronously, so the pipeline can run it between its per-event passes. The score is
// one more finding, `model_autoencoder`, calibrated with the detectors' findings (detect/calibrate.ts).
import * as tf from '@tensorflow/tfjs';
import { LEARNED_MODEL_SIGNAL, REASON_MIN_SCORE, type SignalFinding } from '../detect/combine.js';
import { WardenError } from '../errors.js';
import { type ErrorQuantiles, calibratedScore, errorOfScore } from './autoencoder.js';
import { type ModelBackend, selectBackend } from './backend.js';
import { MODEL_FEATURE_NAMES } from './features.js';
import { type ModelMetadata, loadModel } from './model-store.js';

/** The signal name of the model's findings. */
export const MODEL_SIGNAL = LEARNED_MODEL_SIGNAL;
const UNWORDED_REASON = 'within the usual range';

export class ModelScorer {
  readonly featureNames: readonly string[];
  private readonly quantiles: ErrorQuantiles;

  private constructor(
    private readonly model: tf.LayersModel,
    readonly metadata: ModelMetadata,
    readonly backend: ModelBackend,
  ) {
    this.featureNames = metadata.featureNames;
    this.quantiles = metadata.calibration.quantiles;
  }

  /** Loads `models/<name>/` (selecting the backend first) and checks it reads the code's features. */
  static async load(dir: string, log?: (message: string) => void): Promise<ModelScorer> {
    const backend = await selectBackend(log);
    const { model, metadata } = await loadModel(dir);
    try {
      checkFeatureNames(dir, metadata.featureNames);
      checkInputWidth(dir, model, metadata.featureNames.length);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new ModelScorer(model, metadata, backend);
  }

  get width(): number {
    return this.featureNames.length;
  }

  /** Reconstruction error (mean squared) of each of the first `rows` rows of `features` (row-major, `width` each). */
  errorBatch(features: Float32Array, rows: number): Float32Array {
    if (rows === 0) return new Float32Array(0);
    const width = this.width;
    if (!Number.isInteger(rows) || rows < 0 || features.length < rows * width) {
      throw new RangeError(`scoreBatch: ${rows} rows of ${width} features need ${rows * width} values; got ${features.length}`);
    }
    const errors = tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(0, rows * width), [rows, width]);
      // One predict over the whole batch: tfjs' default batchSize of 32 would split it 32 ways.
      const reconstructed = this.model.predict(x, { batchSize: rows }) as tf.Tensor2D;
      return tf.mean(tf.squaredDifference(x, reconstructed), 1);
    });
    try {
      return Float32Array.from(errors.dataSync());
    } finally {
      errors.dispose();
    }
  }

  /** 0..1 per row: the calibrated reconstruction error (autoencoder.ts `calibratedScore`). */
  scoreBatch(features: Float32Array, rows: number): Float32Array {
    const scores = this.errorBatch(features, rows);
    for (let i = 0; i < scores.length; i++) scores[i] = calibratedScore(scores[i] as number, this.quantiles);
    return scores;
  }

  /**
   * The finding for one row's score; undefined when the model found nothing (score 0). A score too
   * small to be listed as a reason (REASON_MIN_SCORE) is not worded: formatting a number for ~10%
   * of all events cost more than the inference.
   */
  modelFinding(score: number): SignalFinding | undefined {
    if (!(score > 0)) return undefined;
    if (score < REASON_MIN_SCORE) return { signal: MODEL_SIGNAL, score, reason: UNWORDED_REASON };
    const ratio = errorOfScore(Math.min(score, 1), this.quantiles) / Math.max(this.quantiles.p99, 1e-12);
    const times = `${score >= 1 ? 'at least ' : ''}${ratio.toFixed(1)}×`;
    return {
      signal: MODEL_SIGNAL,
      score: Math.min(score, 1),
      reason: `unusual combination of signals and event facts for the learned model (reconstruction error ${times} the 99th percentile of benign training events)`,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** A model reads columns by position: any difference in the list makes its scores meaningless. */
function checkFeatureNames(dir: string, saved: readonly string[]): void {
  const code = MODEL_FEATURE_NAMES;
  if (saved.length === code.length && saved.every((name, index) => name === code[index])) return;
  const missing = code.filter((name) => !saved.includes(name));
  const extra = saved.filter((name) => !code.includes(name));
  const differences = [
    missing.length > 0 ? `the code has ${missing.join(', ')} which the model lacks` : '',
    extra.length > 0 ? `the model has ${extra.join(', ')} which the code lacks` : '',
    missing.length === 0 && extra.length === 0 ? 'the same features in a different order' : '',
  ].filter((part) => part !== '');
  throw new WardenError(
    'CONFIG_INVALID',
    `model ${dir} was trained on other features than this Warden computes (${differences.join('; ')}); retrain it with 'warden train'`,
  );
}

function checkInputWidth(dir: string, model: tf.LayersModel, width: number): void {
  const inputShape = model.inputs[0]?.shape;
  if (inputShape?.length !== 2 || inputShape[1] !== width) {
    throw new WardenError('INPUT_UNREADABLE', `model ${dir}: its input shape ${JSON.stringify(inputShape)} does not take rows of ${width} features`);
  }
}
