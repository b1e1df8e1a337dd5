import { describe, expect, it } from 'vitest';
import {
  BRIEF_HISTORY_MIN_DORMANT_MS,
  dormancyDetector as detector,
  dormancyScore,
  DormancyState,
  MAX_DORMANCY_SCORE,
  WAKE_WINDOW_MS,
} from '../../../src/detect/dormancy.js';
import { learnEvents, observeAndScore, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, DAY, HOUR, MINUTE, MONDAY_2026_11_02_MS as T0, WEEK } from './fixtures/agent-traffic.js';

/** Warmed up, last call at `lastMs`, usual longest gap 62 h (an office agent's weekend). */
function officeAgent(lastMs: number): DormancyState {
  return Object.assign(new DormancyState(), {
    latestMs: lastMs,
    learnedMs: lastMs,
    firstLearnedMs: lastMs - 2 * WEEK,
    longestGapMs: 62 * HOUR,
    learnedEvents: 1000,
  });
}

const at = (timeMs: number) => auditEvent({ timeMs });

describe('dormancy', () => {
  it('scores 0.30 at twice the usual longest gap, +0.10 per doubling, at most 0.45', () => {
    expect(dormancyScore(124 * HOUR, 62 * HOUR)).toBeCloseTo(0.3, 12);
    expect(dormancyScore(12 * DAY, 62 * HOUR)).toBeCloseTo(0.3 + 0.1 * Math.log2(288 / 62 / 2), 12); // 0.422
    expect(dormancyScore(60 * DAY, 62 * HOUR)).toBe(MAX_DORMANCY_SCORE);
    expect(dormancyScore(100 * HOUR, 62 * HOUR)).toBe(0); // under 2×
    expect(dormancyScore(70 * HOUR, 10 * HOUR)).toBe(0); // under 3 days, however quiet the agent usually is
  });

  it('flags the first call after 12 days of silence, and every call of the two hours after it', () => {
    const state = officeAgent(T0);
    const wake = at(T0 + 12 * DAY);
    const first = observeAndScore(detector, state, wake);
    expect(scoreOf(first)).toBeCloseTo(0.3 + 0.1 * Math.log2(288 / 62 / 2), 12);
    expect(reasonOf(first)).toBe("first call after 12 days of silence; this agent's longest usual gap is 2.6 days");
    detector.learnOne(state, wake); // learned: the gap is now its longest, but not for this session
    const later = observeAndScore(detector, state, at(T0 + 12 * DAY + 30 * MINUTE));
    expect(scoreOf(later)).toBeCloseTo(scoreOf(first), 12);
    expect(reasonOf(later)).toBe("call 30 min into activity after 12 days of silence; this agent's longest usual gap is 2.6 days");
    expect(scoreOf(observeAndScore(detector, state, at(T0 + 12 * DAY + WAKE_WINDOW_MS + 1)))).toBe(0);
    // The next silence of the same length is its usual now (× 1 the longest gap).
    expect(scoreOf(observeAndScore(detector, state, at(T0 + 24 * DAY + WAKE_WINDOW_MS + 1)))).toBe(0);
  });

  it('never flags a weekly job for its weekly silence', () => {
    const weekly = Array.from({ length: 30 }, (_, i) => at(T0 + Math.floor(i / 10) * WEEK + (i % 10) * MINUTE));
    const state = learnEvents(detector, detector.initialState(), weekly);
    expect(state.longestGapMs).toBeGreaterThan(6.9 * DAY);
    expect(scoreOf(observeAndScore(detector, state, at(T0 + 3 * WEEK)))).toBe(0);
  });

  it('warms up until 5 calls are learned (zombies are often agents that lived briefly)', () => {
    const every = (n: number, stepMs: number) => Array.from({ length: n }, (_, i) => at(T0 + i * stepMs));
    const wake = at(T0 + 14 * DAY);
    expect(detector.scoreOne(learnEvents(detector, detector.initialState(), every(4, 12 * HOUR)), wake)).toEqual({ warmingUp: true });
    const young = learnEvents(detector, detector.initialState(), every(5, 12 * HOUR)); // 5 calls over 2 days
    // 14 days of silence against a longest gap of 12 h: 0.30 + 0.10 · log2(26 / 2) = 0.670 → capped 0.45
    expect(scoreOf(observeAndScore(detector, young, wake))).toBe(MAX_DORMANCY_SCORE);
  });

  it('counts the silence after a history shorter than a day only past a week and a day', () => {
    const oneSession = () =>
      learnEvents(
        detector,
        detector.initialState(),
        Array.from({ length: 6 }, (_, i) => at(T0 + i * 2 * MINUTE)),
      );
    const lastMs = T0 + 10 * MINUTE;
    // 5 days after one 10-minute session: a weekly or occasional agent's next use, not dormancy.
    const soon = oneSession();
    const back = at(lastMs + 5 * DAY);
    expect(scoreOf(observeAndScore(detector, soon, back))).toBe(0);
    detector.learnOne(soon, back); // its history now spans 5 days; the rest of this session is still not dormant
    expect(scoreOf(observeAndScore(detector, soon, at(lastMs + 5 * DAY + 30 * MINUTE)))).toBe(0);
    // 11 days after it: against a longest gap of 2 min, 0.30 + 0.10 · log2(7,920 / 2) ≫ 0.45 → capped.
    const forgotten = oneSession();
    const wake = at(lastMs + 11 * DAY);
    const first = observeAndScore(detector, forgotten, wake);
    expect(scoreOf(first)).toBe(MAX_DORMANCY_SCORE);
    expect(reasonOf(first)).toBe("first call after 11 days of silence; this agent's longest usual gap is 2 min");
    detector.learnOne(forgotten, wake);
    expect(scoreOf(observeAndScore(detector, forgotten, at(lastMs + 11 * DAY + 30 * MINUTE)))).toBe(MAX_DORMANCY_SCORE);
    // Exactly at the floor counts; a minute under does not.
    expect(scoreOf(observeAndScore(detector, oneSession(), at(lastMs + BRIEF_HISTORY_MIN_DORMANT_MS)))).toBe(MAX_DORMANCY_SCORE);
    expect(scoreOf(observeAndScore(detector, oneSession(), at(lastMs + BRIEF_HISTORY_MIN_DORMANT_MS - MINUTE)))).toBe(0);
  });

  it('is asked during the profile warm-up too, and compares the agent only with itself', () => {
    const young = learnEvents(
      detector,
      detector.initialState(),
      Array.from({ length: 6 }, (_, i) => at(T0 + i * 12 * HOUR)),
    );
    const wake = at(T0 + 14 * DAY);
    detector.observeOne(young, wake);
    const noPeers = undefined as never;
    expect(detector.scoreWithPeers?.(young, wake, noPeers)).toEqual(detector.scoreOne(young, wake));
  });
});
