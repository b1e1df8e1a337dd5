import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WardenError } from '../../../src/errors.js';
import { calibratedScore, reconstructionErrors } from '../../../src/learn/autoencoder.js';
import { MODEL_FEATURE_COUNT, MODEL_FEATURE_NAMES } from '../../../src/learn/features.js';
import { MODEL_SIGNAL, ModelScorer } from '../../../src/learn/model-scorer.js';
import { benignRows, offDistributionRow, savedTinyModel, trainTinyModel } from './fixtures/model-rows.js';

const trained = await trainTinyModel(benignRows(600));
const modelDir = await savedTinyModel(trained);

function concatenated(...parts: Float32Array[]): Float32Array {
  const batch = new Float32Array(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    batch.set(part, at);
    at += part.length;
  }
  return batch;
}

describe('ModelScorer', () => {
  it('scores a batch after save and load exactly as the model it was saved from', async () => {
    const scorer = await ModelScorer.load(modelDir);
    const batch = concatenated(benignRows(50, 7), offDistributionRow());
    const scores = scorer.scoreBatch(batch, 51);
    const expected = Array.from(reconstructionErrors(trained.model, batch, 51, MODEL_FEATURE_COUNT), (error) => calibratedScore(error, trained.quantiles));
    expect(Array.from(scores)).toEqual(expected);
    expect(scores[50]).toBe(1);
    expect(scorer.featureNames).toEqual(MODEL_FEATURE_NAMES);
    scorer.dispose();
  });

  it('gives a finding that states the error against the training percentile, and none for score 0', async () => {
    const scorer = await ModelScorer.load(modelDir);
    expect(scorer.modelFinding(0)).toBeUndefined();
    const finding = scorer.modelFinding(0.5);
    expect(finding?.signal).toBe(MODEL_SIGNAL);
    expect(finding?.score).toBe(0.5);
    expect(finding?.reason).toMatch(/^unusual combination of signals .*reconstruction error \d+\.\d× the 99th percentile of benign training events\)$/);
    expect(scorer.modelFinding(1)?.reason).toContain('at least');
    scorer.dispose();
  });

  it('refuses a model trained on a different feature list, naming the difference', async () => {
    const dir = await savedTinyModel(trained);
    const metadataPath = join(dir, 'metadata.json');
    const metadata = JSON.parse(readFileSync(metadataPath, 'utf8')) as { featureNames: string[] };
    metadata.featureNames = metadata.featureNames.filter((name) => name !== 'signal.hour_of_week');
    metadata.featureNames.push('signal.retired_detector');
    writeFileSync(metadataPath, JSON.stringify(metadata));
    const loading = ModelScorer.load(dir);
    await expect(loading).rejects.toBeInstanceOf(WardenError);
    await expect(loading).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(loading).rejects.toThrow(/signal\.hour_of_week which the model lacks.*signal\.retired_detector which the code lacks.*retrain/);
  });

  it('refuses a model folder with a missing weights file, naming the file', async () => {
    const dir = await savedTinyModel(trained);
    writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json'), 'utf8').replace('"weights.bin"', '"other.bin"'));
    await expect(ModelScorer.load(dir)).rejects.toThrow(/must list exactly one weights file, weights\.bin/);
    await expect(ModelScorer.load(join(dir, 'nowhere'))).rejects.toThrow(/metadata\.json is missing/);
  });
});
