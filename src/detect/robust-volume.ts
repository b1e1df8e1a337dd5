// Shared shape of the volume detectors (bytes, records): is this call moving far more than the
// agent usually moves? Robust statistics, so one past outlier does not move the baseline.
//
// Baseline: median and MAD of log(1 + value) over a 64-value deterministic reservoir (see
// robust-reservoir.ts; recomputed every 16 accepted values, not per event). The "usual median"
// in reasons is exp(median log) − 1, the sample median to within 0.1%. Score: robust
// z = (log(1 + value) − median) / max(1.4826 · MAD, 0.25) — on the log scale, so "10× usual" means
// the same for a 1 KB agent and a 1 GB one; the 0.25 floor (≈ ×1.28) keeps an agent whose sizes
// never vary from being flagged for a few bytes more. p = Laplace upper tail of z (surprise.ts:
// heavier than normal, so ×10 a lognormal agent's usual size scores ≈ 0.3 and ×100 scores 1);
// only larger than usual is scored (small transfers are not a risk signal).
import type { AuditEvent } from '../events/audit-event.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import { createRobustReservoir, reservoirMedian, reservoirOffer, type RobustReservoir, robustReservoirSchema } from '../profile/sketches/robust-reservoir.js';
import { type Detector, unremarkable, WARMING_UP, WORDED_SCORE_MIN } from './detector.js';
import { laplaceUpperTailLog10, surpriseToScore } from './surprise.js';

/** A volume signal speaks once its reservoir holds this many values. */
export const MIN_VOLUME_SAMPLES = 16;
/** 1.4826 · MAD estimates a standard deviation for normally distributed data. */
const MAD_TO_SIGMA = 1.4826;
const MIN_LOG_SPREAD = 0.25;

export class VolumeState {
  reservoir: RobustReservoir = createRobustReservoir();
}

export interface VolumeSpec<Name extends string> {
  name: Name;
  valueOf(event: AuditEvent): number | undefined;
  /** "4.1 MB transferred; usual median 12 KB". */
  describe(value: number, usualMedian: number): string;
}

export function createVolumeDetector<Name extends string>(spec: VolumeSpec<Name>): Detector<VolumeState, Name> {
  return {
    name: spec.name,
    stateSchema: stateClassSchema(VolumeState, { reservoir: robustReservoirSchema }),

    initialState: () => new VolumeState(),

    observeOne() {},

    learnOne(state, event) {
      const value = spec.valueOf(event);
      if (value === undefined) return;
      reservoirOffer(state.reservoir, value);
    },

    scoreOne(state, event) {
      const { reservoir } = state;
      if (reservoir.logSamples.length < MIN_VOLUME_SAMPLES) return WARMING_UP;
      const value = spec.valueOf(event);
      if (value === undefined) return unremarkable(0);
      const z = volumeZScore(reservoir, value);
      if (z <= 0) return unremarkable(0);
      const score = surpriseToScore(-laplaceUpperTailLog10(z));
      if (score < WORDED_SCORE_MIN) return unremarkable(score);
      return { score, reason: spec.describe(value, reservoirMedian(reservoir)) };
    },
  };
}

/** Robust z-score of `value` on the log(1 + x) scale against the reservoir's cached median and MAD. */
export function volumeZScore(reservoir: RobustReservoir, value: number): number {
  const spread = Math.max(MAD_TO_SIGMA * reservoir.madLog, MIN_LOG_SPREAD);
  return (Math.log1p(value) - reservoir.medianLog) / spread;
}
