// How fast a loaded model scores: rows per second for a few batch sizes, measured on the backend
// in use with real feature rows, for the model card and `warden train`'s summary.
import { performance } from 'node:perf_hooks';
import type { ModelScorer } from './model-scorer.js';

export const MEASURED_BATCH_ROWS = [256, 1024, 4096] as const;
/** Each batch size runs untimed for WARM_UP_MS (JIT, kernel caches), then timed for at least MEASURE_MS. */
const WARM_UP_MS = 100;
const MEASURE_MS = 300;
/** The best of this many rounds over all sizes: other load on the machine only ever slows a round down. */
const ROUNDS = 2;

/** Batch size → rows scored per second; `sample` (row-major, `sampleRows` rows) is tiled to fill each batch. */
export function measureInferenceRate(
  scorer: ModelScorer,
  sample: Float32Array,
  sampleRows: number,
  batchSizes: readonly number[] = MEASURED_BATCH_ROWS,
): Record<string, number> {
  if (sampleRows < 1) throw new RangeError('measuring inference needs at least one sample row');
  const batches = batchSizes.map((rows) => ({ rows, features: tiled(sample, sampleRows, scorer.width, rows) }));
  const rates: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const { rows, features } of batches) {
      const rate = rowsPerSecond(scorer, features, rows);
      rates[String(rows)] = Math.max(rates[String(rows)] ?? 0, rate);
    }
  }
  return rates;
}

function rowsPerSecond(scorer: ModelScorer, features: Float32Array, rows: number): number {
  const warmUpStarted = performance.now();
  do scorer.scoreBatch(features, rows);
  while (performance.now() - warmUpStarted < WARM_UP_MS);
  let calls = 0;
  const started = performance.now();
  let elapsedMs = 0;
  do {
    scorer.scoreBatch(features, rows);
    calls++;
    elapsedMs = performance.now() - started;
  } while (elapsedMs < MEASURE_MS);
  return (calls * rows * 1000) / elapsedMs;
}

function tiled(sample: Float32Array, sampleRows: number, width: number, rows: number): Float32Array {
  const batch = new Float32Array(rows * width);
  for (let row = 0; row < rows; row++) {
    const from = (row % sampleRows) * width;
    batch.set(sample.subarray(from, from + width), row * width);
  }
  return batch;
}
