import { describe, expect, it } from 'vitest';
import { RateZScoreReference } from '../../../src/evaluate/reference/rate-zscore.js';

const START_MS = Date.UTC(2026, 10, 2, 9);
const MINUTE_MS = 60_000;

describe('RateZScoreReference', () => {
  it('scores a burst far above the steady pace it learned', () => {
    const reference = new RateZScoreReference();
    const steady: number[] = [];
    // Two hours at 4 calls a minute (every 15 s), then 60 calls in 30 s.
    for (let timeMs = START_MS; timeMs < START_MS + 120 * MINUTE_MS; timeMs += 15_000) steady.push(reference.scoreAndLearn({ agent_id: 'a', time: timeMs }));
    const burstStartMs = START_MS + 120 * MINUTE_MS;
    const burst = Array.from({ length: 60 }, (_, i) => reference.scoreAndLearn({ agent_id: 'a', time: burstStartMs + i * 500 }));
    expect(Math.max(...steady.slice(10))).toBeLessThan(1);
    expect(burst[59]).toBeGreaterThan(50);
    expect(burst.filter((score) => score > 3).length).toBeGreaterThan(50);
  });

  it('says 0 until the agent has two complete active minutes', () => {
    const reference = new RateZScoreReference();
    expect(reference.scoreAndLearn({ agent_id: 'a', time: START_MS })).toBe(0);
    expect(reference.scoreAndLearn({ agent_id: 'a', time: START_MS + MINUTE_MS })).toBe(0);
    // Minutes of 1 call each: mean 1, std 0 (floored to 1); two calls in the last 60 s read as z = 1.
    expect(reference.scoreAndLearn({ agent_id: 'a', time: START_MS + 2 * MINUTE_MS })).toBe(0);
    expect(reference.scoreAndLearn({ agent_id: 'a', time: START_MS + 2 * MINUTE_MS + 1000 })).toBe(1);
  });

  it('keeps agents apart', () => {
    const reference = new RateZScoreReference();
    for (let minute = 0; minute < 30; minute++) {
      for (let call = 0; call < 20; call++) reference.scoreAndLearn({ agent_id: 'busy', time: START_MS + minute * MINUTE_MS + call * 3000 });
      reference.scoreAndLearn({ agent_id: 'quiet', time: START_MS + minute * MINUTE_MS });
    }
    // 20 calls in a minute is the busy agent's normal, and 20σ for the quiet one (std floored at 1).
    const atMs = START_MS + 30 * MINUTE_MS;
    let busy = 0;
    let quiet = 0;
    for (let call = 0; call < 20; call++) {
      busy = reference.scoreAndLearn({ agent_id: 'busy', time: atMs + call * 3000 });
      quiet = reference.scoreAndLearn({ agent_id: 'quiet', time: atMs + call * 3000 });
    }
    expect(Math.abs(busy)).toBeLessThan(1);
    expect(quiet).toBe(19);
  });
});
