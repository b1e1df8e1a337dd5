// One training run, from event lines to a saved, measured model: replay the lines into feature
// rows (training-data.ts), train the autoencoder on the benign ones, save models/<name>/, then
// load the saved copy back and measure it — its inference rate and, when labels were given, the
// model alone on labelled attacks — so the card describes exactly the files the pipeline loads.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { WardenError } from '../errors.js';
import { DEFAULT_AUTOENCODER_OPTIONS, type ErrorQuantiles, SATURATION, trainAutoencoder } from './autoencoder.js';
import { type ModelBackend, selectBackend } from './backend.js';
import { MODEL_FEATURE_NAMES } from './features.js';
import { measureInferenceRate } from './inference-rate.js';
import { labelledAttackMetrics } from './model-metrics.js';
import { ModelScorer } from './model-scorer.js';
import { type ModelMetadata, saveModel, saveModelMetadata } from './model-store.js';
import { DEFAULT_TRAINING_DATA_OPTIONS, buildTrainingData } from './training-data.js';

export interface TrainModelOptions {
  /** NDJSON event lines in event-time order. */
  lines: AsyncIterable<string>;
  /** Where the lines come from, for the model card: a file name or the store query. */
  source: string;
  /** In words, for the model card: "warden simulate --seed 3 --agents 200 --days 14". */
  dataDescription: string;
  labelsSource?: string;
  attackKindOf?: (eventId: string) => string | undefined;
  outDir: string;
  epochs: number;
  seed: number;
  maxRows: number;
  batchSize: number;
  /** Progress lines for a person. */
  log: (line: string) => void;
  /** Overwrites the line in place (replay progress). */
  logProgress?: (line: string) => void;
  /** The risk at which Warden alerts, for the card's "alerted" figures; defaults to DEFAULT_ALERT_THRESHOLD. */
  alertThreshold?: number;
  /** The training date written to the card; defaults to now. */
  createdAt?: string;
}

export interface TrainModelResult {
  metadata: ModelMetadata;
  rows: number;
  validationRows: number;
  attackRows: number;
  heldOutRows: number;
  quantiles: ErrorQuantiles;
  backend: ModelBackend;
  trainingSeconds: number;
}

/** The default of WARDEN_ALERT_THRESHOLD (config/settings.ts). */
export const DEFAULT_ALERT_THRESHOLD = 0.8;

/** Fewer benign rows than this cannot place the 99th percentile the score is calibrated on. */
export const MIN_TRAINING_ROWS = 200;

export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  const backend = await selectBackend(options.log);
  const dataOptions = {
    ...DEFAULT_TRAINING_DATA_OPTIONS,
    maxRows: options.maxRows,
    seed: options.seed,
    attackKindOf: options.attackKindOf,
    onProgress: (linesRead: number, trainingRows: number) => options.logProgress?.(`${linesRead} events replayed, ${trainingRows} training rows`),
  };
  const data = await buildTrainingData(options.lines, dataOptions);
  const { summary } = data;
  const rejected = Object.values(summary.rejectedByCode).reduce((sum, count) => sum + count, 0);
  options.log(
    `${summary.accepted} events accepted (${rejected} rejected) from ${summary.agents} agents → ${data.rowCount} training rows; not trained on: ` +
      Object.entries(summary.excluded)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', '),
  );
  if (data.rowCount < MIN_TRAINING_ROWS) {
    throw new WardenError(
      'INPUT_UNREADABLE',
      `${options.source} gave ${data.rowCount} benign rows after warm-up; training needs at least ${MIN_TRAINING_ROWS}`,
    );
  }

  const autoencoderOptions = { ...DEFAULT_AUTOENCODER_OPTIONS, epochs: options.epochs, seed: options.seed, batchSize: options.batchSize };
  const trainingStarted = performance.now();
  const trained = await trainAutoencoder(data.rows, data.width, {
    ...autoencoderOptions,
    onEpochEnd: (epoch, loss, validationLoss) =>
      options.log(
        `epoch ${epoch + 1}/${options.epochs}: loss ${loss.toExponential(3)}${validationLoss === undefined ? '' : `, validation ${validationLoss.toExponential(3)}`}`,
      ),
  });
  const trainingSeconds = (performance.now() - trainingStarted) / 1000;
  const { quantiles } = trained;
  const metadata: ModelMetadata = {
    formatVersion: 1,
    name: basename(options.outDir),
    kind: 'dense-autoencoder',
    featureNames: [...MODEL_FEATURE_NAMES],
    architecture: {
      hiddenUnits: autoencoderOptions.hiddenUnits,
      bottleneckUnits: autoencoderOptions.bottleneckUnits,
      description: `${data.width}→${autoencoderOptions.hiddenUnits} ReLU→${autoencoderOptions.bottleneckUnits} tanh→${autoencoderOptions.hiddenUnits} ReLU→${data.width} linear, MSE`,
    },
    calibration: {
      quantiles,
      saturation: SATURATION,
      calibratedOn: trained.calibratedOn,
      calibrationRows: trained.calibrationRows,
      mapping: `score = clamp((error − p99) / (${SATURATION}·p99.9 − p99), 0, 1): 0 up to the benign 99th percentile, 1 from ${SATURATION}× the 99.9th on`,
    },
    training: {
      data: options.dataDescription,
      source: options.source,
      labels: options.labelsSource,
      rows: trained.trainingRows,
      validationRows: trained.validationRows,
      agents: summary.agents,
      eventsRead: summary.accepted,
      excluded: { ...summary.excluded, rejected },
      selection:
        `each agent's events after its first ${dataOptions.warmupEvents}, not labelled as an attack, not among the ${dataOptions.heldOutShare * 100}% held out ` +
        `for measuring, scored below risk ${dataOptions.excludeRiskAtOrAbove} by the detectors; a uniform sample of at most ${options.maxRows}`,
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: autoencoderOptions.learningRate,
      seed: options.seed,
      backend,
      tfjsVersion: tf.version_layers,
      seconds: Math.round(trainingSeconds * 10) / 10,
    },
    metrics: {
      finalLoss: trained.history.loss.at(-1) ?? Number.NaN,
      finalValidationLoss: trained.history.validationLoss.at(-1),
      lossByEpoch: trained.history.loss,
      validationLossByEpoch: trained.history.validationLoss,
      inferenceRowsPerSecond: {},
      inferenceBackend: backend,
    },
    createdAt: options.createdAt ?? new Date().toISOString(),
  };
  await saveModel(options.outDir, trained.model, metadata);
  trained.model.dispose();

  const scorer = await ModelScorer.load(options.outDir);
  try {
    const rates = measureInferenceRate(scorer, data.rows, data.rowCount);
    metadata.metrics.inferenceRowsPerSecond = Object.fromEntries(Object.entries(rates).map(([rows, rate]) => [rows, Math.round(rate)]));
    const { heldOut, attacks } = data;
    if (attacks.rowCount > 0 && heldOut.rowCount > 0) {
      metadata.metrics.labelledAttacks = labelledAttackMetrics(
        { errors: scorer.errorBatch(heldOut.rows, heldOut.rowCount), risks: heldOut.risks },
        { errors: scorer.errorBatch(attacks.rows, attacks.rowCount), risks: attacks.risks, kinds: attacks.kinds },
        quantiles,
        options.alertThreshold ?? DEFAULT_ALERT_THRESHOLD,
      );
    }
  } finally {
    scorer.dispose();
  }
  await saveModelMetadata(options.outDir, metadata);
  return {
    metadata,
    rows: trained.trainingRows,
    validationRows: trained.validationRows,
    attackRows: data.attacks.rowCount,
    heldOutRows: data.heldOut.rowCount,
    quantiles,
    backend,
    trainingSeconds,
  };
}
