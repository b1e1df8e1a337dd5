// The model that ships in models/default must load with the features this code computes: a
// detector added or renamed without retraining it fails here, before a deployment refuses it.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODEL_FEATURE_COUNT } from '../../../src/learn/features.js';
import { ModelScorer } from '../../../src/learn/model-scorer.js';

describe('models/default', () => {
  it("loads and reads this code's features (after a detector change, retrain it: see its MODEL_CARD.md)", async () => {
    const scorer = await ModelScorer.load(fileURLToPath(new URL('../../../models/default', import.meta.url)));
    expect(scorer.width).toBe(MODEL_FEATURE_COUNT);
    const scores = scorer.scoreBatch(new Float32Array(4 * MODEL_FEATURE_COUNT), 4);
    expect(Array.from(scores).every((score) => score >= 0 && score <= 1)).toBe(true);
    scorer.dispose();
  });
});
