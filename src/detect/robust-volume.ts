// Shared shape of the volume detectors (bytes, records): is this call moving far more than the
// agent usually moves? Robust statistics, so one past outlier does not move the baseline.
//
// Baseline: median and MAD of log(1 + value) over a 64-value deterministic reservoir (see
// robust-reservoir.ts; recomputed every 16 accepted values, not per event). The "usual median"
// in reasons is exp(median log) − 1, the sample median to within 0.1%. Score: robust
// z = (log(1 + value) − median) / max(1.4826 · MAD, 0.25, e^(−median/2)) — on the log scale, so
// "10× usual" means the same for a 1 KB agent and a 1 GB one; the 0.25 floor (≈ ×1.28) keeps an
// agent whose sizes never vary from being flagged for a few bytes more, and the last term the
// counting noise of small record counts (see logSpread). p = Laplace upper tail of z (surprise.ts:
// heavier than normal, so ×10 a lognormal agent's usual size scores ≈ 0.3 and ×100 scores 1);
// only larger than usual is scored (small transfers are not a risk signal).
import type { AuditEvent } from '../events/audit-event.js';
import { stateClassSchema } from '../profile/state-class-schema.js';
import type { PeerComparison, PeerSummary, SizeSummary } from '../profile/peer-baselines.js';
import {
  createRobustReservoir,
  FILL_REFRESH_EVERY,
  reservoirOffer,
  type RobustReservoir,
  robustReservoirSchema,
  SAMPLE_SIZE,
} from '../profile/sketches/robust-reservoir.js';
import { type Detector, type DetectorVerdict, unremarkable, WARMING_UP, WORDED_SCORE_MIN, ignoreObservation } from './detector.js';
import { laplaceUpperTailLog10, surpriseToScore } from './surprise.js';
import { formatPeerNote } from './wording.js';

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
  /** The peer group's usual sizes of this quantity, if it reports them. */
  peerSizes(summary: PeerSummary): SizeSummary | undefined;
}

export function createVolumeDetector<Name extends string>(spec: VolumeSpec<Name>): Detector<VolumeState, Name> {
  const detector: Detector<VolumeState, Name> = {
    name: spec.name,
    stateSchema: stateClassSchema(VolumeState, { reservoir: robustReservoirSchema }),

    initialState: () => new VolumeState(),

    observeOne: ignoreObservation,

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
      return volumeVerdict(value, reservoir.medianLog, reservoir.madLog, undefined, 0);
    },

    // Median and MAD blended from the peers' to the agent's own as its sample fills (own weight
    // = samples / SAMPLE_SIZE once the reservoir's statistics exist, at FILL_REFRESH_EVERY samples).
    scoreWithPeers(state, event, peers) {
      const { reservoir } = state;
      const samples = reservoir.logSamples.length;
      const ownWeight = samples < FILL_REFRESH_EVERY ? 0 : Math.min(1, samples / SAMPLE_SIZE);
      const peerSizes = spec.peerSizes(peers.summary);
      if (ownWeight >= 1 || peerSizes === undefined) return detector.scoreOne(state, event);
      const value = spec.valueOf(event);
      if (value === undefined) return unremarkable(0);
      const peerWeight = 1 - ownWeight;
      const medianLog = ownWeight * reservoir.medianLog + peerWeight * peerSizes.medianLog;
      const madLog = ownWeight * reservoir.madLog + peerWeight * peerSizes.madLog;
      return volumeVerdict(value, medianLog, madLog, peers, peerWeight);
    },
  };

  function volumeVerdict(value: number, medianLog: number, madLog: number, peers: PeerComparison | undefined, peerWeight: number): DetectorVerdict {
    const z = (Math.log1p(value) - medianLog) / logSpread(medianLog, madLog);
    if (z <= 0) return unremarkable(0);
    const score = surpriseToScore(-laplaceUpperTailLog10(z));
    if (score < WORDED_SCORE_MIN) return unremarkable(score);
    const reason = spec.describe(value, Math.expm1(medianLog));
    return peers === undefined ? { score, reason } : { score, reason: reason + formatPeerNote(peers.basis, peerWeight), peerWeight };
  }

  return detector;
}

/** Robust z-score of `value` on the log(1 + x) scale against the reservoir's cached median and MAD. */
export function volumeZScore(reservoir: RobustReservoir, value: number): number {
  const spread = logSpread(reservoir.medianLog, reservoir.madLog);
  return (Math.log1p(value) - reservoir.medianLog) / spread;
}

/**
 * The spread a z-score divides by: 1.4826 · MAD, at least MIN_LOG_SPREAD, and at least the
 * counting noise of small numbers, e^(−median/2) = 1/√(1 + usual median): a count around m varies
 * by about √m, i.e. 1/√m on the log scale, even when the sample's MAD happens to be 0. Without it
 * an agent that reads 1 record per call was flagged (0.5) for reading 8 — 13% of a simulated
 * fleet's benign calls scored ≥ 0.3 on records alone. Irrelevant for sizes in bytes (12 KB: 0.009).
 */
export function logSpread(medianLog: number, madLog: number): number {
  return Math.max(MAD_TO_SIGMA * madLog, MIN_LOG_SPREAD, Math.exp(-medianLog / 2));
}
