// The learned model itself: a small dense autoencoder over model-feature rows (features.ts),
// trained on events believed benign. Its anomaly evidence is the reconstruction error — how
// badly the bottleneck reproduces a row it was never taught — mapped to 0..1 against the errors
// of held-out benign rows, so the score means the same thing whatever the data's scale.
//
// Calibration (`calibratedScore`): score = clamp((error − p99) / (SATURATION·p99.9 − p99), 0, 1).
// At or below the 99th percentile of benign errors the model says nothing (score 0); at the
// 99.9th it says roughly 0.2–0.4 (evidence, not an alert on its own); at SATURATION times the
// 99.9th, or beyond, it is certain (1). Calibrated against the fleet like every detector's score
// (detect/calibrate.ts), a model that finds everything odd on a fleet unlike its training data
// soon counts for little, while on a familiar fleet it lifts an event other signals already doubt.
//
// Determinism: initializers are seeded and batches are shuffled by a seeded generator (tfjs'
// own `shuffle` uses Math.random), so one seed on one backend gives the same weights.
import * as tf from '@tensorflow/tfjs';
import { Random } from '../simulate/random.js';

export interface AutoencoderOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Share of rows (taken after a seeded shuffle) held out for validation loss and calibration. */
  validationSplit: number;
  learningRate: number;
  hiddenUnits: number;
  bottleneckUnits: number;
  /** Called after each epoch with its mean training loss and the validation loss. */
  onEpochEnd?: (epoch: number, loss: number, validationLoss: number | undefined) => void;
}

export const DEFAULT_AUTOENCODER_OPTIONS: Readonly<AutoencoderOptions> = Object.freeze({
  epochs: 20,
  batchSize: 256,
  seed: 1,
  validationSplit: 0.1,
  learningRate: 0.003,
  hiddenUnits: 16,
  bottleneckUnits: 6,
});

/** Reconstruction-error quantiles (mean squared error per row) of the calibration rows. */
export interface ErrorQuantiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface TrainedAutoencoder {
  model: tf.LayersModel;
  /** Per epoch. */
  history: { loss: number[]; validationLoss: number[] };
  quantiles: ErrorQuantiles;
  trainingRows: number;
  validationRows: number;
  /** Which rows the quantiles come from: the held-out ones when there are enough, else the training ones. */
  calibratedOn: 'validation' | 'training';
  calibrationRows: number;
}

/** An error of SATURATION × the 99.9th percentile, or more, scores 1. */
export const SATURATION = 3;
/** Fewer held-out rows than this cannot place a 99.9th percentile; calibrate on training rows instead. */
const MIN_VALIDATION_ROWS_FOR_CALIBRATION = 1000;
/** Rows per predict call while computing errors: bounds the memory of one pass. */
const ERROR_PASS_ROWS = 8192;

/** width → hidden → bottleneck → hidden → width; ReLU hidden layers, tanh code, linear output. */
export function buildAutoencoder(width: number, options: Pick<AutoencoderOptions, 'hiddenUnits' | 'bottleneckUnits' | 'seed'>): tf.Sequential {
  const layer = (units: number, activation: 'relu' | 'tanh' | 'linear', index: number, inputShape?: number[]) =>
    tf.layers.dense({
      units,
      activation,
      inputShape,
      name: `dense_${index}`,
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed * 101 + index }),
      biasInitializer: 'zeros',
    });
  const model = tf.sequential({ name: 'warden_autoencoder' });
  model.add(layer(options.hiddenUnits, 'relu', 0, [width]));
  model.add(layer(options.bottleneckUnits, 'tanh', 1));
  model.add(layer(options.hiddenUnits, 'relu', 2));
  model.add(layer(width, 'linear', 3));
  return model;
}

/** Trains on `rows` (row-major, `width` floats each). */
export async function trainAutoencoder(rows: Float32Array, width: number, options: AutoencoderOptions): Promise<TrainedAutoencoder> {
  const rowCount = Math.floor(rows.length / width);
  if (rowCount < 2) throw new RangeError(`an autoencoder needs at least 2 rows to train; got ${rowCount}`);
  const random = new Random(options.seed, 'learn.autoencoder');
  const order = shuffledIndices(rowCount, random);
  const validationRows = Math.min(rowCount - 1, Math.floor(rowCount * options.validationSplit));
  const trainingRows = rowCount - validationRows;
  const trainingData = gatherRows(rows, width, order.subarray(0, trainingRows));
  const validationData = gatherRows(rows, width, order.subarray(trainingRows));

  const model = buildAutoencoder(width, options);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });
  const xTrain = tf.tensor2d(trainingData, [trainingRows, width]);
  const xValidation = validationRows > 0 ? tf.tensor2d(validationData, [validationRows, width]) : undefined;
  const history = { loss: [] as number[], validationLoss: [] as number[] };
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const permutation = tf.tensor1d(shuffledIndices(trainingRows, random), 'int32');
      const xEpoch = tf.gather(xTrain, permutation);
      try {
        const fitted = await model.fit(xEpoch, xEpoch, {
          epochs: 1,
          batchSize: options.batchSize,
          shuffle: false,
          verbose: 0,
          validationData: xValidation ? [xValidation, xValidation] : undefined,
        });
        const loss = Number(fitted.history.loss?.[0]);
        const validationLoss = xValidation ? Number(fitted.history.val_loss?.[0]) : undefined;
        history.loss.push(loss);
        if (validationLoss !== undefined) history.validationLoss.push(validationLoss);
        options.onEpochEnd?.(epoch, loss, validationLoss);
      } finally {
        tf.dispose([permutation, xEpoch]);
      }
    }
  } finally {
    tf.dispose([xTrain, ...(xValidation ? [xValidation] : [])]);
  }

  const calibratedOn = validationRows >= MIN_VALIDATION_ROWS_FOR_CALIBRATION ? 'validation' : 'training';
  const calibration = calibratedOn === 'validation' ? validationData : trainingData;
  const calibrationRows = calibratedOn === 'validation' ? validationRows : trainingRows;
  const quantiles = errorQuantiles(reconstructionErrors(model, calibration, calibrationRows, width));
  return { model, history, quantiles, trainingRows, validationRows, calibratedOn, calibrationRows };
}

/** Mean squared reconstruction error of each of the first `rowCount` rows. */
export function reconstructionErrors(model: tf.LayersModel, rows: Float32Array, rowCount: number, width: number): Float32Array {
  const errors = new Float32Array(rowCount);
  for (let start = 0; start < rowCount; start += ERROR_PASS_ROWS) {
    const count = Math.min(ERROR_PASS_ROWS, rowCount - start);
    const pass = tf.tidy(() => {
      const x = tf.tensor2d(rows.subarray(start * width, (start + count) * width), [count, width]);
      const reconstructed = model.predict(x, { batchSize: count }) as tf.Tensor2D;
      return tf.mean(tf.squaredDifference(x, reconstructed), 1);
    });
    errors.set(pass.dataSync() as Float32Array, start);
    pass.dispose();
  }
  return errors;
}

export function errorQuantiles(errors: Float32Array): ErrorQuantiles {
  const sorted = Float32Array.from(errors).sort();
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), p999: quantile(sorted, 0.999), max: quantile(sorted, 1) };
}

/** The 0..1 anomaly score of a reconstruction error (see the top of this file). */
export function calibratedScore(error: number, quantiles: Pick<ErrorQuantiles, 'p99' | 'p999'>): number {
  const score = (error - quantiles.p99) / calibrationSpan(quantiles);
  return score > 1 ? 1 : score > 0 ? score : 0;
}

/** The reconstruction error a score stands for (the inverse of calibratedScore inside 0..1). */
export function errorOfScore(score: number, quantiles: Pick<ErrorQuantiles, 'p99' | 'p999'>): number {
  return quantiles.p99 + score * calibrationSpan(quantiles);
}

function calibrationSpan(quantiles: Pick<ErrorQuantiles, 'p99' | 'p999'>): number {
  return Math.max(SATURATION * quantiles.p999 - quantiles.p99, 1e-12);
}

/** Linear interpolation between the closest ranks of an ascending array. */
function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

function shuffledIndices(count: number, random: Random): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(0, i);
    const swap = indices[i] as number;
    indices[i] = indices[j] as number;
    indices[j] = swap;
  }
  return indices;
}

function gatherRows(rows: Float32Array, width: number, indices: Int32Array): Float32Array {
  const gathered = new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const from = (indices[i] as number) * width;
    gathered.set(rows.subarray(from, from + width), i * width);
  }
  return gathered;
}
