import { describe, expect, it } from 'vitest';
import { RiskCalibrator, riskFromSurprise, WEAK_EVIDENCE_WEIGHT } from '../../../src/detect/calibrate.js';
import { FleetCalibration, nominalTail, scoreLevel } from '../../../src/detect/fleet-calibration.js';
import {
  advanceRoutineHour,
  buildPeerRoutines,
  noteSignal,
  ROUTINE_SIGNALS,
  routineDiscount,
  routineIndex,
  routineShare,
  SignalRoutine,
  signalRoutineSchema,
} from '../../../src/detect/signal-routine.js';
import { HOUR_MS } from '../../../src/profile/time-decay.js';

const finding = (signal: string, score: number) => ({ signal, score, reason: `${signal} was ${score}` });
const ignoreHour = () => {};

/** Scores the same finding for one agent once an hour, hours 1..`hours`; returns the last score. */
function scoreHourly(calibrator: RiskCalibrator, repeated: ReturnType<typeof finding>, routine: SignalRoutine, hours: number) {
  let latest = calibrator.score([repeated], routine, HOUR_MS);
  for (let hour = 2; hour <= hours; hour++) latest = calibrator.score([repeated], routine, hour * HOUR_MS);
  return latest;
}
/** Per-hour decay of the routine's counts: half-life 14 days = 336 hours. */
const HOURLY_DECAY = Math.pow(0.5, 1 / 336);

describe('riskFromSurprise', () => {
  it('maps total surprise to risk: 0.005 per unit up to 2, then 1 − 0.99 · 10^(−(total − 2) / 4)', () => {
    expect(riskFromSurprise(0)).toBe(0);
    expect(riskFromSurprise(1)).toBeCloseTo(0.005, 12);
    expect(riskFromSurprise(2)).toBeCloseTo(0.01, 12);
    expect(riskFromSurprise(4)).toBeCloseTo(1 - 0.99 * 0.316227766, 8); // 0.686934
    expect(riskFromSurprise(4.8)).toBeCloseTo(0.80247, 5); // the default alert threshold
    expect(riskFromSurprise(6)).toBeCloseTo(0.901, 3);
    expect(riskFromSurprise(10)).toBeCloseTo(0.9901, 4);
  });

  it('is strictly increasing and below 1 however large the surprise', () => {
    const risks = [0.5, 1.9, 2.1, 3, 5, 8, 12, 20, 30].map(riskFromSurprise);
    for (let i = 1; i < risks.length; i++) expect(risks[i]).toBeGreaterThan(risks[i - 1] as number);
    expect(riskFromSurprise(30)).toBeLessThan(1);
  });
});

describe('FleetCalibration', () => {
  it('levels scores in steps of 0.05', () => {
    expect([0.001, 0.049, 0.05, 0.5, 0.999, 1].map(scoreLevel)).toEqual([0, 0, 1, 10, 19, 20]);
  });

  it('reads a score at its nominal tail before it has counted anything', () => {
    const fleet = new FleetCalibration();
    expect(nominalTail(0)).toBeCloseTo(1e-2, 15);
    expect(nominalTail(1)).toBeCloseTo(1e-6, 18);
    expect(fleet.surprise('event_rate', 0.5)).toBeCloseTo(4, 12);
    expect(fleet.surprise('event_rate', 0.25)).toBeCloseTo(3, 12);
  });

  it('moves to the fleet share of agent-hours as hours are counted', () => {
    const fleet = new FleetCalibration();
    for (let hour = 0; hour < 9; hour++) fleet.countAgentHour(['noisy'], [10]); // reached 0.5 in 9 agent-hours
    for (let hour = 0; hour < 991; hour++) fleet.countAgentHour(['noisy'], [-1]);
    expect(fleet.countedAgentHours).toBe(1000);
    // (9 + 1000 · 10^−4) / (1000 + 1000) = 0.00455 → surprise 2.342
    expect(fleet.surprise('noisy', 0.5)).toBeCloseTo(-Math.log10(9.1 / 2000), 12);
    expect(fleet.surprise('noisy', 0.5)).toBeCloseTo(2.342, 3);
    // Level 11 was never reached: (0 + 1000 · 10^−4.2) / 2000 → surprise 4.501
    expect(fleet.surprise('noisy', 0.55)).toBeCloseTo(4.501, 3);
    // A signal that never fired keeps its nominal tail, diluted by the hours counted: 10^−4 / 2 → 4.301
    expect(fleet.surprise('quiet', 0.5)).toBeCloseTo(4.301, 3);
  });
});

describe('SignalRoutine', () => {
  it('tracks every detector and the learned model', () => {
    expect(ROUTINE_SIGNALS).toContain('event_rate');
    expect(ROUTINE_SIGNALS).toContain('model_autoencoder');
    expect(routineIndex('event_rate')).toBe(0);
    expect(routineIndex('no_such_signal')).toBe(-1);
  });

  it('counts a fired signal only once its hour is over, and decays with a 14-day half-life', () => {
    const routine = new SignalRoutine();
    advanceRoutineHour(routine, 0, ignoreHour);
    noteSignal(routine, 0, 12, true);
    expect(routineShare(routine, 0)).toBe(0); // the hour it fires in does not make it routine
    advanceRoutineHour(routine, HOUR_MS, ignoreHour); // hour 0 ends: 1 active hour, fired in 1
    expect(routine.activeHours).toBe(1);
    expect(routine.firedHours[0]).toBe(1);
    advanceRoutineHour(routine, 2 * HOUR_MS + 5, ignoreHour); // hour 1 ends, nothing fired
    // share = d / ((1 · d + 1) + 24) with d = 0.5^(1/336) = 0.997939 → 0.038385
    expect(routineShare(routine, 0)).toBeCloseTo(HOURLY_DECAY / (HOURLY_DECAY + 1 + 24), 12);
    expect(routineShare(routine, 0)).toBeCloseTo(0.038385, 6);
    // discount = 1 − 0.038385 / 0.04 = 0.040367
    expect(routineDiscount(routineShare(routine, 0))).toBeCloseTo(0.040367, 5);
    expect(routineDiscount(0)).toBe(1);
    expect(routineDiscount(0.5)).toBe(0);
  });

  it('hands the ended hour’s highest score levels to the caller, and ignores a late event’s older hour', () => {
    const routine = new SignalRoutine();
    const ended: number[][] = [];
    advanceRoutineHour(routine, 10 * HOUR_MS, (levels) => ended.push([...levels]));
    noteSignal(routine, 1, 4, false);
    noteSignal(routine, 1, 9, false);
    noteSignal(routine, 1, 6, false);
    advanceRoutineHour(routine, 9 * HOUR_MS, (levels) => ended.push([...levels])); // late: still hour 10
    expect(ended).toEqual([]);
    advanceRoutineHour(routine, 11 * HOUR_MS, (levels) => ended.push([...levels]));
    expect(ended).toHaveLength(1);
    expect(ended[0]?.[1]).toBe(9);
    expect(ended[0]?.filter((level) => level >= 0)).toEqual([9]);
    expect(routine.firedThisHour).toBe(0);
  });

  it('round-trips through JSON at 1/64 precision, without the hour in progress', () => {
    const calibrator = new RiskCalibrator();
    const routine = new SignalRoutine();
    calibrator.score([finding('workflow', 0.8)], routine, 1_234);
    advanceRoutineHour(routine, 3 * HOUR_MS, ignoreHour);
    noteSignal(routine, 4, 7, true);
    const json = JSON.parse(JSON.stringify(signalRoutineSchema.encode(routine)));
    expect(Buffer.from(json, 'base64')).toHaveLength(14 + 2 * ROUTINE_SIGNALS.length);
    const restored = signalRoutineSchema.decode(json);
    expect(restored.currentHour).toBe(3);
    expect(restored.firedThisHour).toBe(1 << 4);
    expect(restored.recentSurpriseMs).toBe(1_000);
    for (const [key, value] of [
      ['activeHours', routine.activeHours],
      ['recentSurprise', routine.recentSurprise],
      ['firedHours[9]', routine.firedHours[9]],
    ] as const) {
      const restoredValue = key === 'firedHours[9]' ? restored.firedHours[9] : restored[key];
      expect(Math.abs((restoredValue as number) - (value as number)), key).toBeLessThanOrEqual(1 / 128);
    }
    expect(routine.firedHours[9]).toBe(1); // workflow fired in hour 0
    expect([...restored.highestLevelsThisHour].every((level) => level === -1)).toBe(true);
  });
});

describe('RiskCalibrator', () => {
  it('sums the calibrated surprises of the findings into one risk (hand-checked on a fresh fleet)', () => {
    const calibrator = new RiskCalibrator();
    // Fresh fleet: nominal tails. 0.5 → surprise 4, 0.25 → 3; total 7 → 1 − 0.99 · 10^(−5/4) = 0.944328
    const score = calibrator.score([finding('event_rate', 0.5), finding('workflow', 0.25)], new SignalRoutine(), 0);
    expect(score.risk).toBeCloseTo(1 - 0.99 * Math.pow(10, -1.25), 12);
    expect(score.risk).toBeCloseTo(0.944328, 6);
    expect(score.reasons.map((reason) => reason.signal)).toEqual(['event_rate', 'workflow']);
    // A reason's score is the risk its finding alone would give: surprise 4 → 0.686935
    expect(score.reasons[0]?.score).toBeCloseTo(0.686935, 6);
    expect(calibrator.score([], new SignalRoutine(), 0).risk).toBe(0);
  });

  it("discounts an action's novelty by the other agents of its type adopting that action, and says so", () => {
    const calibrator = new RiskCalibrator();
    const findings = [finding('action_frequency', 0.5), finding('event_rate', 0.5)];
    // Fresh fleet: each finding surprise 4. One other adopter keeps 3/4 of the action finding:
    // 3 + 4 = 7 → 0.944328; four or more keep none of it but its weak evidence (0.3, as a finding
    // discounted by routine): 4.3 → 1 − 0.99 · 10^(−2.3/4) = 0.736588. event_rate is never discounted.
    expect(calibrator.score(findings, new SignalRoutine(), 0, 'code-review-bot', 0, 0).risk).toBeCloseTo(1 - 0.99 * Math.pow(10, -6 / 4), 12);
    const one = calibrator.score(findings, new SignalRoutine(), 0, 'code-review-bot', 0, 1);
    expect(one.risk).toBeCloseTo(0.944328, 6);
    expect(one.reasons.find((reason) => reason.signal === 'action_frequency')?.reason).toBe(
      'action_frequency was 0.5; adopted by 1 other agent of its type in the last 2 days (a release?)',
    );
    const many = calibrator.score(findings, new SignalRoutine(), 0, 'code-review-bot', 0, 6);
    expect(many.risk).toBeCloseTo(0.736588, 6);
    expect(many.reasons.find((reason) => reason.signal === 'action_frequency')?.reason).toContain('adopted by 6 other agents of its type');
  });

  it('counts the learned model half, since it reads the detectors’ own findings', () => {
    const calibrator = new RiskCalibrator();
    // model 0.5 → nominal surprise 4 → × 0.5 = 2 → risk 0.01; the same score from a detector → 0.686935
    expect(calibrator.score([finding('model_autoencoder', 0.5)], new SignalRoutine(), 0).risk).toBeCloseTo(0.01, 12);
    expect(calibrator.score([finding('workflow', 0.5)], new SignalRoutine(), 0).risk).toBeCloseTo(0.686935, 6);
  });

  it('gives two agents the same risk for the same findings', () => {
    const calibrator = new RiskCalibrator();
    const a = calibrator.score([finding('bytes_volume', 0.7)], new SignalRoutine(), 0);
    const b = calibrator.score([finding('bytes_volume', 0.7)], new SignalRoutine(), 0);
    expect(a.risk).toBe(b.risk);
  });

  it('discounts a signal that fires hour after hour for one agent, and says so', () => {
    const calibrator = new RiskCalibrator();
    const batchJob = new SignalRoutine();
    const first = calibrator.score([finding('resource_novelty', 0.9)], batchJob, 0);
    expect(first.risk).toBeGreaterThan(0.85); // nominal surprise 5.6 → 0.874
    const latest = scoreHourly(calibrator, finding('resource_novelty', 0.9), batchJob, 48);
    // Fully routine: calibrated surprise 0, but the finding still adds its weak evidence
    // (WEAK_EVIDENCE_WEIGHT = 0.3, any score ≥ 0.001): total max(0.3, 0) = 0.3 → risk 0.005 · 0.3 = 0.0015.
    expect(latest.risk).toBeCloseTo(0.0015, 12);
    expect(latest.reasons[0]?.reason).toMatch(/^resource_novelty was 0.9; routine for this agent: fired in [\d.]+% of its active hours$/);
    // Another agent's first such event is still judged against the fleet, which has now seen 48
    // agent-hours at this level out of 49: no longer rare anywhere.
    const other = calibrator.score([finding('resource_novelty', 0.9)], new SignalRoutine(), 0);
    expect(other.risk).toBeLessThan(first.risk);
  });

  it('does not discount dormancy by routine: its detector learns its own recurrence', () => {
    const calibrator = new RiskCalibrator();
    const wakingAgent = new SignalRoutine();
    calibrator.score([finding('dormancy', 0.45)], wakingAgent, 0);
    const latest = scoreHourly(calibrator, finding('dormancy', 0.45), wakingAgent, 48);
    // The fleet has counted 48 ended agent-hours (the 49th is in progress), all at this level:
    // share (48 + 1,000 · 10^−3.8) / 1,048 = 4.6%, surprise 1.34 — low, but not the routine's 0
    // (risk 0.0067, not 0.0015).
    expect(latest.risk).toBeCloseTo(0.005 * -Math.log10((48 + 1000 * Math.pow(10, -3.8)) / 1048), 9);
    expect(latest.reasons[0]?.reason).toBe('dormancy was 0.45');
  });

  it("discounts a signal that is routine for the agent's type, and names the peers", () => {
    const index = routineIndex('resource_novelty');
    const agent = (agentType: string | undefined, fired: number, active: number) => {
      const routine = new SignalRoutine();
      routine.firedHours[index] = fired;
      routine.activeHours = active;
      return { agentType, routine };
    };
    // Three ETL agents: 2 + 0 + 1 fired hours over (100 + 24) + (50 + 24) + (26 + 24) = 248 hours
    // (24 prior hours each, as routineShare) = 1.21%. Two mail agents are too few for a group, and
    // an agent without a type belongs to none.
    const peers = buildPeerRoutines([
      agent('etl', 2, 100),
      agent('etl', 0, 50),
      agent('etl', 1, 26),
      agent('mail', 9, 10),
      agent('mail', 9, 10),
      agent(undefined, 9, 10),
    ]);
    expect([...peers.keys()]).toEqual(['etl']);
    expect(peers.get('etl')?.[index]).toBeCloseTo(3 / 248, 12);
    expect(peers.get('etl')?.[routineIndex('event_rate')]).toBe(0);

    // At 12 fired hours out of 248 (4.8% ≥ 4%) the signal is fully routine for every ETL agent,
    // also a new one whose own routine is empty: only the weak evidence remains (risk 0.0015).
    const calibrator = new RiskCalibrator();
    calibrator.peerRoutines = buildPeerRoutines([agent('etl', 8, 100), agent('etl', 0, 50), agent('etl', 4, 26)]);
    const young = calibrator.score([finding('resource_novelty', 0.9)], new SignalRoutine(), 0, 'etl');
    expect(young.risk).toBeCloseTo(0.0015, 12);
    expect(young.reasons[0]?.reason).toBe('resource_novelty was 0.9; routine for its peers: fired in 4.8% of their active hours');
    // A routine that takes less than a tenth off (share under 0.4%) is not named in the reason.
    const faint = new RiskCalibrator();
    faint.peerRoutines = buildPeerRoutines([agent('etl', 0.5, 100), agent('etl', 0, 50), agent('etl', 0, 26)]); // 0.5 / 248 = 0.2%
    expect(faint.score([finding('resource_novelty', 0.9)], new SignalRoutine(), 0, 'etl').reasons[0]?.reason).toBe('resource_novelty was 0.9');
    // Another type, or none, is judged on its own: nominal surprise 5.6 → risk 0.874.
    expect(calibrator.score([finding('resource_novelty', 0.9)], new SignalRoutine(), 0, 'mail').risk).toBeGreaterThan(0.85);
    expect(calibrator.score([finding('resource_novelty', 0.9)], new SignalRoutine(), 0).risk).toBeGreaterThan(0.85);
  });

  it('adds weak evidence for findings below 0.05 without listing them as reasons', () => {
    const calibrator = new RiskCalibrator();
    expect(WEAK_EVIDENCE_WEIGHT).toBe(0.3);
    // 0.0005 is half of WEAK_SCORE_MAX: 0.3 · 0.0005 / 0.001 = 0.15 each; total 0.3 → risk 0.005 · 0.3 = 0.0015.
    const twoHalves = calibrator.score([finding('workflow', 0.0005), finding('event_rate', 0.0005)], new SignalRoutine(), 0);
    expect(twoHalves.risk).toBeCloseTo(0.0015, 12);
    expect(twoHalves.reasons).toEqual([]);
    // Any score of at least WEAK_SCORE_MAX (0.001) adds the full 0.3, below 0.05 too: risk 0.0015.
    const below = calibrator.score([finding('workflow', 0.01)], new SignalRoutine(), 0);
    expect(below.risk).toBeCloseTo(0.0015, 12);
    expect(below.reasons).toEqual([]);
    // The learned model's weak evidence counts half: 0.15 → risk 0.00075.
    expect(calibrator.score([finding('model_autoencoder', 0.01)], new SignalRoutine(), 0).risk).toBeCloseTo(0.00075, 12);
    // Next to a calibrated finding it adds on: 0.5 → surprise 4, + 0.3 = 4.3 → 1 − 0.99 · 10^(−2.3/4) = 0.736588
    const withRate = calibrator.score([finding('workflow', 0.01), finding('event_rate', 0.5)], new SignalRoutine(), 0);
    expect(withRate.risk).toBeCloseTo(1 - 0.99 * Math.pow(10, -2.3 / 4), 12);
    expect(withRate.risk).toBeCloseTo(0.736588, 6);
    expect(withRate.reasons.map((reason) => reason.signal)).toEqual(['event_rate']);
    // No findings, no evidence.
    expect(calibrator.score([], new SignalRoutine(), 0)).toEqual({ risk: 0, reasons: [] });
    // The detectors' weak evidence arrives as one number of units (EventScore.weakEvidence):
    // 2.5 units → 0.75 → risk 0.005 · 0.75 = 0.00375, nothing listed.
    const units = calibrator.score([], new SignalRoutine(), 0, undefined, 2.5);
    expect(units.risk).toBeCloseTo(0.00375, 12);
    expect(units.reasons).toEqual([]);
    // All 14 detectors and the model at the 1% level: 14.5 units → 4.35 < 4.8, below the default alert threshold.
    expect(calibrator.score([finding('model_autoencoder', 0.001)], new SignalRoutine(), 0, undefined, 14).risk).toBeLessThan(0.8);
  });

  it('lists at most five reasons, ordered by calibrated contribution', () => {
    const calibrator = new RiskCalibrator();
    const findings = [0.2, 0.9, 0.04, 0.3, 0.5, 0.1, 0.6].map((score, i) => finding(ROUTINE_SIGNALS[i] as string, score));
    const { reasons } = calibrator.score(findings, new SignalRoutine(), 0);
    expect(reasons.map((reason) => reason.signal)).toEqual([
      ROUTINE_SIGNALS[1],
      ROUTINE_SIGNALS[6],
      ROUTINE_SIGNALS[4],
      ROUTINE_SIGNALS[3],
      ROUTINE_SIGNALS[0],
    ]);
  });
});

describe('RiskCalibrator carry-over', () => {
  it('scores a quiet event right after a risky one at half the risky one’s surprise, fading over minutes', () => {
    const calibrator = new RiskCalibrator();
    const routine = new SignalRoutine();
    // Nominal: 1.0 → surprise 6 (risk 0.901).
    expect(calibrator.score([finding('event_rate', 1)], routine, 0).risk).toBeCloseTo(0.901, 3);
    // 0 min later: carried 0.5 · 6 = 3 → risk 1 − 0.99 · 10^(−1/4) = 0.443282
    const next = calibrator.score([], routine, 0);
    expect(next.risk).toBeCloseTo(1 - 0.99 * Math.pow(10, -0.25), 12);
    expect(next.reasons).toEqual([{ signal: 'recent_activity', score: next.risk, reason: "follows this agent's risky activity 0 min ago (risk 0.90)" }]);
    // 5 min later (one time constant): 0.5 · 6 · e^−1 = 1.1036 → 0.005 · 1.1036 = 0.005518
    const later = calibrator.score([], routine, 5 * 60_000);
    expect(later.risk).toBeCloseTo(0.005 * 3 * Math.exp(-1), 12);
    expect(later.reasons[0]?.reason).toBe("follows this agent's risky activity 5 min ago (risk 0.90)");
  });

  it('does not carry to other agents, and lets an event’s own stronger evidence win', () => {
    const calibrator = new RiskCalibrator();
    const routine = new SignalRoutine();
    calibrator.score([finding('event_rate', 1)], routine, 0);
    expect(calibrator.score([], new SignalRoutine(), 0).risk).toBe(0);
    const own = calibrator.score([finding('workflow', 0.5)], routine, 1000); // own surprise 4 > carried 3
    expect(own.risk).toBeCloseTo(riskFromSurprise(4), 12);
    expect(own.reasons.map((reason) => reason.signal)).toEqual(['workflow']);
  });
});
