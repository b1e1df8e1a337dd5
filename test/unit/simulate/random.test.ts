import { describe, expect, it } from 'vitest';
import { Random, WeightedTable, ZipfRanks, hash32 } from '../../../src/simulate/random.js';

describe('seeded randomness', () => {
  it('repeats a named stream exactly and separates differently named ones', () => {
    const draw = (random: Random) => Array.from({ length: 8 }, () => random.uint32());
    expect(draw(new Random(7, 'agent', 3))).toEqual(draw(new Random(7, 'agent', 3)));
    expect(draw(new Random(7, 'agent', 3))).not.toEqual(draw(new Random(7, 'agent', 4)));
    expect(draw(new Random(7, 'agent', 3))).not.toEqual(draw(new Random(8, 'agent', 3)));
    expect(hash32(2 ** 32 + 5)).not.toBe(hash32(5));
  });

  it('draws distributions with the documented centre', () => {
    const random = new Random(1);
    const samples = Array.from({ length: 20_000 }, () => random.logNormal(1_000, 0.8)).sort((a, b) => a - b);
    expect(samples[10_000]).toBeGreaterThan(950);
    expect(samples[10_000]).toBeLessThan(1_050);
    const counts = Array.from({ length: 20_000 }, () => random.poisson(3.5));
    expect(counts.reduce((sum, count) => sum + count, 0) / counts.length).toBeCloseTo(3.5, 1);
    const big = Array.from({ length: 5_000 }, () => random.poisson(80));
    expect(big.reduce((sum, count) => sum + count, 0) / big.length).toBeCloseTo(80, 0);
    const floats = Array.from({ length: 10_000 }, () => random.float());
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
  });

  it('makes ids of the requested length and alphabet', () => {
    const random = new Random(2);
    for (const length of [1, 7, 8, 13, 32]) {
      expect(random.hex(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
      expect(random.base36(length)).toMatch(new RegExp(`^[0-9a-z]{${length}}$`));
      expect(random.digits(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
    }
  });

  it('picks by weight and by Zipf rank among the first n', () => {
    const random = new Random(3);
    const table = new WeightedTable([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    const picks = Array.from({ length: 8_000 }, () => table.pick(random));
    expect(picks.filter((pick) => pick === 'b').length / picks.length).toBeCloseTo(0.75, 1);
    expect(picks).not.toContain('never');
    const ranks = new ZipfRanks(1);
    const drawn = Array.from({ length: 5_000 }, () => ranks.pick(random, 10));
    expect(Math.max(...drawn)).toBeLessThan(10);
    expect(drawn.filter((rank) => rank === 0).length).toBeGreaterThan(drawn.filter((rank) => rank === 9).length * 5);
    expect(ranks.pick(random, 1)).toBe(0);
  });
});
