// A learned model on disk, `models/<name>/`: model.json (tfjs layers topology + weights
// manifest, the same shape tfjs' own `file://` handler writes), weights.bin, metadata.json (what
// Warden needs besides the weights: feature names, error quantiles, how it was trained and what
// was measured) and MODEL_CARD.md, generated from the metadata for people. Read and written with
// node:fs through tfjs' handler interfaces, so loading needs neither tfjs-node nor a network.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { WardenError } from '../errors.js';

export const MODEL_FILES = { topology: 'model.json', weights: 'weights.bin', metadata: 'metadata.json', card: 'MODEL_CARD.md' } as const;

const finite = z.number().finite();

export const modelMetadataSchema = z.object({
  formatVersion: z.literal(1),
  name: z.string().min(1),
  kind: z.literal('dense-autoencoder'),
  /** The feature of each input column, in order; must equal the code's MODEL_FEATURE_NAMES. */
  featureNames: z.array(z.string().min(1)).min(1),
  architecture: z.object({ hiddenUnits: z.number().int().positive(), bottleneckUnits: z.number().int().positive(), description: z.string() }),
  calibration: z.object({
    quantiles: z.object({ p50: finite, p90: finite, p99: finite, p999: finite, max: finite }),
    saturation: finite.positive(),
    calibratedOn: z.enum(['validation', 'training']),
    calibrationRows: z.number().int().nonnegative(),
    mapping: z.string(),
  }),
  training: z.object({
    /** In words: where the events came from (simulator seed, file, ClickHouse query). */
    data: z.string(),
    source: z.string(),
    labels: z.string().optional(),
    rows: z.number().int().nonnegative(),
    validationRows: z.number().int().nonnegative(),
    agents: z.number().int().nonnegative(),
    eventsRead: z.number().int().nonnegative(),
    excluded: z.record(z.string(), z.number().int().nonnegative()),
    selection: z.string(),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    learningRate: finite.positive(),
    seed: z.number().int(),
    backend: z.string(),
    tfjsVersion: z.string(),
    seconds: finite.nonnegative(),
  }),
  metrics: z.object({
    finalLoss: finite,
    finalValidationLoss: finite.optional(),
    lossByEpoch: z.array(finite),
    validationLossByEpoch: z.array(finite),
    /** Batch size (rows) → rows scored per second, on `backend`. */
    inferenceRowsPerSecond: z.record(z.string(), finite),
    inferenceBackend: z.string(),
    /**
     * Labelled attack events of the training data (never trained on) against a held-out share of
     * its other events, scored by the detectors alone and combined with the model by noisy-OR.
     */
    labelledAttacks: z
      .object({
        attackRows: z.number().int().nonnegative(),
        heldOutRows: z.number().int().nonnegative(),
        alertThreshold: finite,
        rocAuc: z.object({ model: finite, detectors: finite, combined: finite }),
        attacksAlerted: z.object({ detectors: finite, combined: finite }),
        heldOutAlerted: z.object({ detectors: finite, combined: finite }),
        modelScored: z.object({ attacks: finite, heldOut: finite }),
        byKind: z.record(
          z.string(),
          z.object({ rows: z.number().int().nonnegative(), detectorsAlert: finite, combinedAlert: finite, modelScored: finite, meanModelScore: finite }),
        ),
      })
      .optional(),
  }),
  createdAt: z.string(),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

/** The parts of model.json this module reads back. */
const modelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.record(z.string(), z.unknown())) })).length(1),
});

/** Writes the four files into `dir` (created if missing), replacing what was there. */
export async function saveModel(dir: string, model: tf.LayersModel, metadata: ModelMetadata): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightSpecs || artifacts.weightData === undefined) throw new Error('tfjs handed over a model without weights');
      const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, MODEL_FILES.topology), `${JSON.stringify(modelJson)}\n`);
      await writeFile(join(dir, MODEL_FILES.weights), weights);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    }),
  );
  await saveModelMetadata(dir, metadata);
}

/** Rewrites metadata.json and MODEL_CARD.md, e.g. with what was measured on the saved model. */
export async function saveModelMetadata(dir: string, metadata: ModelMetadata): Promise<void> {
  await writeFile(join(dir, MODEL_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(join(dir, MODEL_FILES.card), modelCard(metadata));
}

/** Reads a saved model; a missing, unreadable or inconsistent file is an INPUT_UNREADABLE naming it. */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const metadata = parseJsonFile(dir, MODEL_FILES.metadata, await readModelFile(dir, MODEL_FILES.metadata), modelMetadataSchema);
  const modelJson = parseJsonFile(dir, MODEL_FILES.topology, await readModelFile(dir, MODEL_FILES.topology), modelJsonSchema);
  const manifest = modelJson.weightsManifest[0];
  if (!manifest || manifest.paths.length !== 1 || manifest.paths[0] !== MODEL_FILES.weights) {
    throw new WardenError('INPUT_UNREADABLE', `model ${dir}: ${MODEL_FILES.topology} must list exactly one weights file, ${MODEL_FILES.weights}`);
  }
  const weights = await readModelFile(dir, MODEL_FILES.weights);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy ?? undefined,
    weightSpecs: manifest.weights as unknown as tf.io.WeightsManifestEntry[],
    weightData: new Uint8Array(weights).buffer, // a copy that owns exactly the file's bytes
  };
  try {
    const model = await tf.loadLayersModel({ load: () => Promise.resolve(artifacts) });
    return { model, metadata };
  } catch (error) {
    throw new WardenError('INPUT_UNREADABLE', `model ${dir}: tfjs cannot build the model from its files`, { cause: error });
  }
}

async function readModelFile(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'is missing' : 'cannot be read';
    throw new WardenError('INPUT_UNREADABLE', `model ${dir}: ${file} ${problem}`, { cause: error });
  }
}

function parseJsonFile<T>(dir: string, file: string, bytes: Buffer, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new WardenError('INPUT_UNREADABLE', `model ${dir}: ${file} is not valid JSON`, { cause: error });
  }
  const checked = schema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new WardenError(
      'INPUT_UNREADABLE',
      `model ${dir}: ${file} field ${issue?.path.map(String).join('.') || '(root)'} is invalid: ${issue?.message ?? 'unknown'}`,
    );
  }
  return checked.data;
}

/** MODEL_CARD.md: the metadata in words and tables, for a reviewer deciding whether to trust it. */
export function modelCard(metadata: ModelMetadata): string {
  const { training, calibration, metrics } = metadata;
  const q = calibration.quantiles;
  const number = (value: number, digits = 4) => (Number.isInteger(value) ? String(value) : value.toPrecision(digits));
  const lines = [
    `# Model card: ${metadata.name}`,
    '',
    `Generated by \`warden train\` on ${metadata.createdAt} from \`metadata.json\`; edit neither by hand, retrain instead.`,
    '',
    '## What it is',
    '',
    `A dense autoencoder (${metadata.architecture.description}) over one row per scored event. It is one signal,`,
    "`model_autoencoder`, calibrated and combined with the statistical detectors' findings like any other (src/detect/calibrate.ts); it reads their findings",
    'and a few facts of the event, and says how unusual that combination is compared with benign training events.',
    '',
    '## Features',
    '',
    `${metadata.featureNames.length} inputs, in this order (src/learn/features.ts). \`signal.*\` is the score of that`,
    "detector's finding for the event (0 when it found nothing); `event.*` are facts of the event scaled to about 0..1.",
    'A model whose list differs from the code is refused at load: retrain after adding a detector.',
    '',
    ...metadata.featureNames.map((name, index) => `${index + 1}. \`${name}\``),
    '',
    '## Training data',
    '',
    `- Data: ${training.data}`,
    `- Source: \`${training.source}\`${training.labels ? `; labels \`${training.labels}\`` : ''}`,
    `- Events read: ${training.eventsRead}; agents: ${training.agents}`,
    `- Selection: ${training.selection}`,
    `- Excluded: ${Object.entries(training.excluded)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ')}`,
    `- Rows: ${training.rows} training + ${training.validationRows} held out for validation and calibration`,
    `- Epochs ${training.epochs}, batch ${training.batchSize}, Adam learning rate ${training.learningRate}, seed ${training.seed}`,
    `- Backend ${training.backend} (tfjs ${training.tfjsVersion}), ${number(training.seconds, 3)} s`,
    '',
    '## Score calibration',
    '',
    `Reconstruction error = mean squared error over the ${metadata.featureNames.length} inputs. Quantiles over ${calibration.calibrationRows} ${calibration.calibratedOn} rows:`,
    '',
    '| p50 | p90 | p99 | p99.9 | max |',
    '| --- | --- | --- | --- | --- |',
    `| ${number(q.p50)} | ${number(q.p90)} | ${number(q.p99)} | ${number(q.p999)} | ${number(q.max)} |`,
    '',
    `Mapping: ${calibration.mapping}`,
    '',
    '## Measured',
    '',
    `- Final training loss ${number(metrics.finalLoss)}${metrics.finalValidationLoss === undefined ? '' : `, validation loss ${number(metrics.finalValidationLoss)}`}`,
    `- Loss by epoch: ${metrics.lossByEpoch.map((loss) => number(loss, 3)).join(', ')}`,
    `- Inference on ${metrics.inferenceBackend}, rows per second by batch size: ${Object.entries(metrics.inferenceRowsPerSecond)
      .map(([rows, rate]) => `${rows} rows → ${Math.round(rate).toLocaleString('en-US')}/s`)
      .join('; ')}`,
  ];
  const attacks = metrics.labelledAttacks;
  if (attacks) {
    const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
    lines.push(
      '',
      '### Labelled attacks: the detectors alone and with the model',
      '',
      `${attacks.attackRows} labelled attack events of the training data (never trained on) against ${attacks.heldOutRows} held-out unlabelled events`,
      '(a random share of all events after warm-up, calm and risky alike, also never trained on). Per event, not per episode;',
      `"alerted" = risk ≥ ${attacks.alertThreshold}, the detectors' raw evidence with the model combined by noisy-OR (not the calibrated risk Warden stores).`,
      "Measured on the training simulation, so optimistic: the evaluation on a separate seed, calibrated, is `warden eval --model`'s job.",
      '',
      '| | ROC AUC | attacks alerted | held-out events alerted |',
      '| --- | --- | --- | --- |',
      `| detectors | ${attacks.rocAuc.detectors.toFixed(3)} | ${percent(attacks.attacksAlerted.detectors)} | ${percent(attacks.heldOutAlerted.detectors)} |`,
      `| detectors + model | ${attacks.rocAuc.combined.toFixed(3)} | ${percent(attacks.attacksAlerted.combined)} | ${percent(attacks.heldOutAlerted.combined)} |`,
      `| model alone | ${attacks.rocAuc.model.toFixed(3)} | | |`,
      '',
      `The model scores (> 0) ${percent(attacks.modelScored.attacks)} of attack events and ${percent(attacks.modelScored.heldOut)} of held-out events.`,
      '',
      '| attack kind | events | alerted, detectors | alerted, + model | model scored | mean model score |',
      '| --- | --- | --- | --- | --- | --- |',
      ...Object.entries(attacks.byKind).map(
        ([kind, row]) =>
          `| ${kind} | ${row.rows} | ${percent(row.detectorsAlert)} | ${percent(row.combinedAlert)} | ${percent(row.modelScored)} | ${row.meanModelScore.toFixed(3)} |`,
      ),
    );
  }
  lines.push(
    '',
    '## Limits',
    '',
    '- Trained on events believed benign; a fleet whose normal differs from the training data will see more scores above 0 until retrained on its own history (`warden train`).',
    "- The `event.*` inputs are compared with the whole training fleet, not with the agent's own history (the detectors do that): an agent whose usual hours or sizes are rare in the fleet keeps scoring until the model is retrained on a history that includes it.",
    "- Rows from an agent's warm-up (its first events, when the detectors say nothing) were never trained on and should not be scored.",
    '- Its reason names no single cause: the detectors say *what* is unusual; this signal says the combination is.',
    '',
  );
  return lines.join('\n');
}
