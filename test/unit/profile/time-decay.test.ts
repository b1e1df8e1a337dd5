import { describe, expect, it } from 'vitest';
import { decayFactor, halfLifeMs, MINUTE_MS } from '../../../src/profile/time-decay.js';

describe('decayFactor', () => {
  it('halves a weight after one half-life (time constant · ln 2)', () => {
    expect(halfLifeMs(MINUTE_MS)).toBeCloseTo(41_588.83, 2);
    expect(decayFactor(halfLifeMs(MINUTE_MS), MINUTE_MS)).toBeCloseTo(0.5, 12);
  });

  it('leaves 1/e after one time constant', () => {
    expect(decayFactor(MINUTE_MS, MINUTE_MS)).toBeCloseTo(Math.exp(-1), 12);
  });

  it('never grows a weight: zero or negative elapsed time means no decay', () => {
    expect(decayFactor(0, MINUTE_MS)).toBe(1);
    expect(decayFactor(-5_000, MINUTE_MS)).toBe(1);
  });
});
