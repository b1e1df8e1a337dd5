import { describe, expect, it } from 'vitest';
import { repeatedCallDetector as detector, RepeatedCallState, usualRepeatShare } from '../../../src/detect/repeated-call.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const call = (i: number, action: string, id: string) => auditEvent({ timeMs: T0 + i * 1000, action, resource: { type: 'ledger', id } });

/** 200 learned calls, each on a different entry: an agent that never repeats itself. */
function neverRepeats(): RepeatedCallState {
  return learnEvents(
    detector,
    new RepeatedCallState(),
    Array.from({ length: 200 }, (_, i) => call(i, 'ledger.entries.get', `entry-${i}`)),
  );
}

describe('repeated_call', () => {
  it('warms up for 20 learned calls', () => {
    const state = learnEvents(detector, new RepeatedCallState(), [call(0, 'a', 'x'), call(1, 'a', 'x'), call(2, 'a', 'x')]);
    expect(detector.scoreOne(state, call(3, 'a', 'x'))).toEqual({ warmingUp: true });
  });

  it('learns the share of calls that repeat the previous one, smoothed and floored at 1%', () => {
    const state = neverRepeats();
    expect(state.repeatShare).toBe(0);
    // (0 · 200 + 0.5) / 201 = 0.00249 → floored at 0.02
    expect(usualRepeatShare(state)).toBe(0.02);
    // Every other call a repeat: the running mean tends to 0.5.
    const poller = learnEvents(
      detector,
      new RepeatedCallState(),
      Array.from({ length: 400 }, (_, i) => call(i, 'jobs.get', `job-${i >> 1}`)),
    );
    expect(poller.repeatShare).toBeCloseTo(0.5, 2);
  });

  it('scores a run of identical calls from the third call: r repeats have surprise r · −log10(share)', () => {
    const state = neverRepeats();
    const loop = Array.from({ length: 5 }, (_, i) => call(300 + i, 'ledger.entries.create', 'entry-7'));
    const verdicts = loop.map((event) => observeAndScore(detector, state, event)); // flagged: not learned
    // 1st: new call; 2nd: 1 repeat (never scored); 3rd: 2 repeats → surprise 2 · 1.69897 = 3.39794
    // → score (3.39794 − 2) / 4 = 0.349485; 4th: 3 repeats → 5.09691 → 0.774228; 5th: 6.79588 → 1.
    const scores = verdicts.map(scoreOf);
    expect(scores.slice(0, 2)).toEqual([0, 0]);
    expect(scores[2]).toBeCloseTo(0.349485, 6);
    expect(scores[3]).toBeCloseTo(0.774228, 6);
    expect(scores[4]).toBe(1);
    expect(reasonOf(verdicts[2] as never)).toBe(
      'ledger.entries.create on ledger:entry-7 3 times in a row; this agent repeats its previous call in 2.0% of calls',
    );
  });

  it('lets an agent that usually repeats itself repeat, and resets the run on a different call', () => {
    const poller = learnEvents(
      detector,
      new RepeatedCallState(),
      Array.from({ length: 400 }, (_, i) => call(i, 'jobs.get', `job-${i >> 1}`)),
    );
    // share 0.5: 3rd call (2 repeats) → surprise 2 · log10 2 = 0.602, 4th → 3 · log10 2 = 0.903; below 2,
    // so weak evidence only: 0.001 · surprise / 2 = 0.000301, 0.000452.
    const verdicts = [0, 1, 2, 3].map((i) => observeAndScore(detector, poller, call(500 + i, 'jobs.get', 'job-x')));
    const scores = verdicts.map(scoreOf);
    expect(scores.slice(0, 2)).toEqual([0, 0]);
    expect(scores[2]).toBeCloseTo((0.001 * 2 * Math.log10(2)) / 2, 12);
    expect(scores[3]).toBeCloseTo((0.001 * 3 * Math.log10(2)) / 2, 12);
    const state = neverRepeats();
    for (const event of [call(300, 'a', 'x'), call(301, 'a', 'x'), call(302, 'b', 'x'), call(303, 'a', 'x')]) detector.observeOne(state, event);
    expect(state.runLength).toBe(0);
    expect(scoreOf(detector.scoreOne(state, call(303, 'a', 'x')))).toBe(0);
  });

  it('round-trips through JSON exactly in 28 characters', () => {
    const state = neverRepeats();
    detector.observeOne(state, call(300, 'a', 'x'));
    detector.observeOne(state, call(301, 'a', 'x'));
    const json = JSON.parse(JSON.stringify(detector.stateSchema.encode(state)));
    expect(json).toHaveLength(28);
    expect(detector.stateSchema.decode(json)).toEqual(state);
    expect(detector.stateSchema.decode(json).runLength).toBe(1);
  });
});
