import { describe, expect, it } from 'vitest';
import { declaredIntentDetector as detector, INTENT_SCORE, intentScore, undeclaredShare } from '../../../src/detect/declared-intent.js';
import { learnEvents, reasonOf, scoreOf } from './fixtures/drive-detector.js';
import { auditEvent, MINUTE, MONDAY_2026_11_02_MS as T0 } from './fixtures/agent-traffic.js';

const DECLARED = ['mail.read', 'mail.send'];

/** A call whose task declares `declaredActions` (null: no task). */
function call(index: number, action: string, declaredActions: string[] | null = DECLARED) {
  return auditEvent({ timeMs: T0 + index * MINUTE, action, task: declaredActions === null ? undefined : { id: `t-${index}`, declaredActions } });
}

/** 2,000 learned calls within their declaration, `strays` of them (evenly spread) outside it. */
function agent(strays = 0) {
  const every = strays > 0 ? Math.floor(2000 / strays) : Infinity;
  return learnEvents(
    detector,
    detector.initialState(),
    Array.from({ length: 2000 }, (_, i) => call(i, i % every === every - 1 ? 'mail.delete' : 'mail.read')),
  );
}

describe('declared_intent', () => {
  it('scores an action outside the declared ones high, naming the action and the declaration', () => {
    const verdict = detector.scoreOne(agent(), call(2000, 'payments.refund'));
    expect(scoreOf(verdict)).toBe(INTENT_SCORE);
    expect(reasonOf(verdict)).toBe('action payments.refund is outside the actions task t-2000 declared: mail.read, mail.send');
    expect(scoreOf(detector.scoreOne(agent(), call(2000, 'mail.send')))).toBe(0);
  });

  it('lowers the score on a log scale as the agent itself strays more: full at ≤ 1%, 0 at ≥ 10%', () => {
    expect(intentScore(0.01)).toBe(INTENT_SCORE);
    expect(intentScore(0.03)).toBeCloseTo(0.8 * Math.log10(0.1 / 0.03), 12); // 0.418
    expect(intentScore(0.1)).toBe(0);
    const loose = agent(60); // 3% of its calls stray
    expect(undeclaredShare(loose)).toBeGreaterThan(0.02);
    const verdict = detector.scoreOne(loose, call(2000, 'payments.refund'));
    expect(scoreOf(verdict)).toBeCloseTo(intentScore(undeclaredShare(loose)), 12);
    expect(reasonOf(verdict)).toMatch(/ \(this agent strays from its declarations on \d\.\d% of calls\)$/);
  });

  it('cuts a long declaration to five names and long names to 40 characters', () => {
    const declared = Array.from({ length: 8 }, (_, i) => (i === 0 ? `x.${'a'.repeat(60)}` : `api.op_${i}`));
    const verdict = detector.scoreOne(agent(), call(2000, 'payments.refund', declared));
    expect(reasonOf(verdict)).toBe(
      `action payments.refund is outside the actions task t-2000 declared: x.${'a'.repeat(37)}…, api.op_1, api.op_2, api.op_3, api.op_4 and 3 more`,
    );
  });

  it('neither scores nor learns calls without a declaration (or with an empty one)', () => {
    const state = agent();
    expect(scoreOf(detector.scoreOne(state, call(2000, 'payments.refund', null)))).toBe(0);
    expect(scoreOf(detector.scoreOne(state, call(2000, 'payments.refund', [])))).toBe(0);
    detector.learnOne(state, call(2000, 'payments.refund', []));
    expect(state.learnedEvents).toBe(2000);
  });
});
