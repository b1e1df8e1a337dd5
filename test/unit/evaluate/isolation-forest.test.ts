import { describe, expect, it } from 'vitest';
import { averagePathLength, IsolationForest } from '../../../src/evaluate/reference/isolation-forest.js';
import { seededRandom } from '../../../src/evaluate/reference/seeded-random.js';

/** 300 inliers in a 2-D Gaussian blob around (0, 0), row-major. */
function blob(seed: number): Float64Array {
  const random = seededRandom(seed);
  const rows = new Float64Array(300 * 2);
  for (let i = 0; i < rows.length; i++) {
    rows[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  return rows;
}

describe('averagePathLength', () => {
  it('follows c(n) = 2H(n−1) − 2(n−1)/n with c(1) = 0 and c(2) = 1', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // c(256) = 2(ln 255 + γ) − 510/256 ≈ 10.2448
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 4);
  });
});

describe('IsolationForest', () => {
  const inliers = blob(42);
  const forest = IsolationForest.fit(inliers, 2, 300, { trees: 100, subsampleSize: 256, seed: 7 });

  it('scores a far outlier above every inlier', () => {
    const outlier = forest.score([8, -8]);
    const inlierScores = forest.scoreRows(inliers, 300);
    expect(outlier).toBeGreaterThan(Math.max(...inlierScores));
    expect(outlier).toBeGreaterThan(0.65);
    expect(forest.score([0, 0])).toBeLessThan(0.5);
  });

  it('gives the same scores for the same seed and different ones for another seed', () => {
    const again = IsolationForest.fit(inliers, 2, 300, { trees: 100, subsampleSize: 256, seed: 7 });
    const other = IsolationForest.fit(inliers, 2, 300, { trees: 100, subsampleSize: 256, seed: 8 });
    const probe = [1.5, -0.7];
    expect(again.score(probe)).toBe(forest.score(probe));
    expect(other.score(probe)).not.toBe(forest.score(probe));
  });

  it('learns only from the training rows', () => {
    // Rows 300.. hold a second blob at (20, 20) that training never sees: it reads as outlying.
    const rows = new Float64Array(600 * 2);
    rows.set(inliers);
    rows.set(
      inliers.map((value) => value + 20),
      600,
    );
    const trainedOnFirst = IsolationForest.fit(rows, 2, 300, { trees: 50, subsampleSize: 128, seed: 1 });
    expect(trainedOnFirst.score(rows, 300 * 2)).toBeGreaterThan(trainedOnFirst.score(rows, 0) + 0.1);
  });

  it('handles constant features and tiny training sets', () => {
    const constant = new Float64Array([1, 1, 1, 1, 1, 1]);
    const flat = IsolationForest.fit(constant, 2, 3, { trees: 10, subsampleSize: 256, seed: 1 });
    expect(Number.isFinite(flat.score([5, 5]))).toBe(true);
    const single = IsolationForest.fit(constant, 2, 1, { trees: 10, subsampleSize: 256, seed: 1 });
    expect(single.score([5, 5])).toBe(0.5);
  });
});
