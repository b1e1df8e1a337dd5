import { describe, expect, it } from 'vitest';
import { laplaceUpperTailLog10, WEAK_SCORE_MAX } from '../../../src/detect/surprise.js';
import {
  expiredShare,
  NEARBY_SWITCH_FACTOR,
  switchShare,
  tokenContextDetector as detector,
  TokenContextState,
  usualLogAge,
} from '../../../src/detect/token-context.js';
import { learnEvents, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, HOUR, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

/** The i-th call: one a minute from 10.1.2.x with the hour's token, issued 5 min before the hour, valid 70 min. */
function call(index: number, ip = `10.1.2.${index % 100}`) {
  const timeMs = T0 + index * MINUTE;
  const hourMs = Math.floor(timeMs / HOUR) * HOUR;
  return auditEvent({ timeMs, ip, token: { id: `tok-${hourMs / HOUR}`, issuedMs: hourMs - 5 * MINUTE, expiresMs: hourMs + 65 * MINUTE } });
}

const agent = () =>
  learnEvents(
    detector,
    detector.initialState(),
    Array.from({ length: 3000 }, (_, i) => call(i)),
  );

/** A warmed-up state with the given usual log-age moments and no remembered tokens. */
function withAges(meanLogAge: number, spreadLogAge: number): TokenContextState {
  return Object.assign(new TokenContextState(), {
    ageWeight: 1000,
    ageSum: 1000 * meanLogAge,
    ageSquares: 1000 * (meanLogAge * meanLogAge + spreadLogAge * spreadLogAge),
    expiryWeight: 1000,
    learnedEvents: 1000,
  });
}

describe('token_context', () => {
  it("flags a token used from a network other than its first, by the agent's own switch share", () => {
    const state = agent();
    expect(state.switchWeight).toBe(0);
    const share = 0.5 / (state.reuseWeight + 1); // no switch ever: (0 + 0.5) / (reuses + 1)
    expect(switchShare(state)).toBeCloseTo(share, 12);
    const stolen = call(2999, '203.0.113.9');
    const verdict = detector.scoreOne(state, stolen);
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(share) - 2) / 4, 10); // decayed reuses ≈ 1,563: ≈ 0.37
    expect(reasonOf(verdict)).toBe(
      `token ${stolen.token?.id} used from 203.0.113.0/24, another network than it was first used from (usually 0.03% of reused tokens change network)`,
    );
    expect(scoreOf(detector.scoreOne(state, call(2999, '10.1.2.250')))).toBeLessThanOrEqual(WEAK_SCORE_MAX); // same /24: no switch
  });

  it('counts half the surprise of a switch to a neighbouring /24 of the same /16 (a host that moved)', () => {
    const state = agent();
    const share = switchShare(state);
    // First used from 10.1.2.0/24; now from 10.1.7.0/24: surprise −log10(share) × NEARBY_SWITCH_FACTOR.
    const moved = call(2999, '10.1.7.20');
    const verdict = detector.scoreOne(state, moved);
    const surprise = -Math.log10(share) * NEARBY_SWITCH_FACTOR; // 3.49 × 0.5 = 1.75: weak evidence only
    expect(scoreOf(verdict)).toBeCloseTo((0.001 * surprise) / 2, 10);
    // With a far higher surprise the wording says which kind of switch it was.
    const rare = agent();
    rare.reuseWeight = 49_999; // share 0.5 / 50,000 = 1e-5 → surprise 5, halved 2.5 → score 0.125
    expect(scoreOf(detector.scoreOne(rare, moved))).toBeCloseTo((-Math.log10(0.5 / 50_000) * 0.5 - 2) / 4, 10);
    expect(reasonOf(detector.scoreOne(rare, moved))).toBe(
      `token ${moved.token?.id} used from 10.1.7.0/24, a neighbour (same /16) of the network it was first used from (usually 0.001% of reused tokens change network)`,
    );
  });

  it('scores a token far older than usual by the Laplace tail of its log age', () => {
    const usual = Math.log1p(30 * 60); // 30 min
    const state = withAges(usual, 0.3); // spread below the 0.5 floor
    const issuedMs = T0 - 3 * 24 * HOUR;
    const verdict = detector.scoreOne(state, auditEvent({ timeMs: T0, token: { id: 'tok-old', issuedMs } }));
    const z = (Math.log1p(3 * 24 * 3600) - usual) / 0.5; // 9.95
    expect(scoreOf(verdict)).toBeCloseTo(Math.min(1, (-laplaceUpperTailLog10(z) - 2) / 4), 10);
    expect(reasonOf(verdict)).toBe('token tok-old used 3.0 days after it was issued; usually about 30 min');
    expect(usualLogAge(state)).toBe(usual);
  });

  it("scores a token used after its expiry (past a minute's grace) by the agent's own share of such calls", () => {
    const state = withAges(Math.log1p(1800), 1);
    const expired = (afterMs: number) => auditEvent({ timeMs: T0, token: { id: 'tok-exp', expiresMs: T0 - afterMs } });
    const verdict = detector.scoreOne(state, expired(2 * HOUR));
    expect(expiredShare(state)).toBeCloseTo(0.5 / 1001, 12);
    expect(scoreOf(verdict)).toBeCloseTo((-Math.log10(0.5 / 1001) - 2) / 4, 10); // 0.325
    expect(reasonOf(verdict)).toBe('token tok-exp used 2.0 h after it expired (usually 0.05% of calls carry an expired token)');
    expect(scoreOf(detector.scoreOne(state, expired(59_000)))).toBe(0);
  });

  it('parses a token’s times once: a remembered token keeps the times it was first seen with', () => {
    const state = agent();
    const first = call(3000);
    detector.learnOne(state, first);
    const withoutTimes = auditEvent({ timeMs: first.timeMs + 1000, ip: '10.1.2.7', token: { id: first.token?.id ?? '' } });
    // Age comes from the remembered issue time, so this call is as unremarkable as the first.
    expect(scoreOf(detector.scoreOne(state, withoutTimes))).toBe(0);
    expect(state.tokenSlots[2]).toBe(Math.floor((first.timeMs - (first.timeMs % HOUR) - 5 * MINUTE) / 1000));
  });

  it('says nothing about a call without a token, and warms up until 20 calls with one are learned', () => {
    expect(scoreOf(detector.scoreOne(detector.initialState(), auditEvent({ timeMs: T0 })))).toBe(0);
    const young = learnEvents(
      detector,
      detector.initialState(),
      Array.from({ length: 19 }, (_, i) => call(i)),
    );
    expect(detector.scoreOne(young, call(19, '203.0.113.9'))).toEqual({ warmingUp: true });
  });
});
