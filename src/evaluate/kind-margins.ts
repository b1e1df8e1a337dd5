// How sure is "Warden ranks this attack kind better than the reference"? A simulated fleet holds
// only a few episodes of each kind (3 in two weeks of 200 agents), so a kind's ROC-AUC moves a lot
// with which episodes happened to be drawn. This answers with an episode bootstrap: the kind's
// episodes are resampled with replacement (the benign events stay as they are), both detectors'
// ROC-AUC is recomputed on the same resample, and the spread of Warden's margin over the
// reference is reported with the share of resamples in which Warden is ahead.
//
// It rests on one identity: a kind's ROC-AUC is the mean, over the kind's malicious events, of
// each event's share of benign events it outscores (ties count half). So each episode reduces to
// two numbers per detector — the sum of its events' shares and its event count — and a resample's
// ROC-AUC is a ratio of sums. The resampling covers the uncertainty of which episodes occurred,
// not of which benign events did (500k of them vary far less).
import type { LabelledStream, Scores } from './metrics.js';
import { seededRandom } from './reference/seeded-random.js';

export const KIND_MARGIN_RESAMPLES = 2000;
const KIND_MARGIN_SEED = 0x6b696e64;
/** The interval reported: the middle 90% of the resampled margins. */
export const MARGIN_INTERVAL = 0.9;

/** Per episode: the sum of its events' benign-outscored shares, and its event count. */
export interface EpisodeWins {
  sums: Float64Array;
  counts: Uint32Array;
}

export interface KindMargin {
  /** Warden's ROC-AUC minus the reference's on the episodes as drawn. */
  margin: number;
  /** The middle MARGIN_INTERVAL of the resampled margins. */
  low: number;
  high: number;
  /** Share of resamples where Warden's ROC-AUC is above the reference's (ties count half). */
  wardenAheadShare: number;
}

/**
 * For each episode, the sum over its events of the share of benign events each one outscores
 * (a tie counts half), and how many events it has. Benign scores are sorted once; each malicious
 * event is placed by two binary searches.
 */
export function episodeWins(scores: Scores, stream: LabelledStream): EpisodeWins {
  const episodeCount = stream.episodes.length;
  const sums = new Float64Array(episodeCount);
  const counts = new Uint32Array(episodeCount);
  let benignCount = 0;
  for (let i = 0; i < stream.episodeOf.length; i++) if ((stream.episodeOf[i] as number) < 0) benignCount++;
  if (benignCount === 0) return { sums: sums.fill(Number.NaN), counts };
  const benign = new Float64Array(benignCount);
  let next = 0;
  for (let i = 0; i < stream.episodeOf.length; i++) if ((stream.episodeOf[i] as number) < 0) benign[next++] = scores[i] as number;
  benign.sort();
  for (let i = 0; i < stream.episodeOf.length; i++) {
    const episode = stream.episodeOf[i] as number;
    if (episode < 0) continue;
    const score = scores[i] as number;
    const below = firstIndexWhere(benign, (value) => value >= score);
    const notAbove = firstIndexWhere(benign, (value) => value > score);
    sums[episode] = (sums[episode] as number) + (below + 0.5 * (notAbove - below)) / benignCount;
    counts[episode] = (counts[episode] as number) + 1;
  }
  return { sums, counts };
}

/** First index of a sorted array whose value passes `test` (which is false, then true); the length if none. */
function firstIndexWhere(sorted: Float64Array, test: (value: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(sorted[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Warden's margin over one reference on the episodes `episodes` (one kind's), with its bootstrap
 * interval; null when the kind has no events. Deterministic: the same inputs give the same figures.
 */
export function kindMargin(
  warden: EpisodeWins,
  reference: EpisodeWins,
  episodes: readonly number[],
  resamples = KIND_MARGIN_RESAMPLES,
  seed = KIND_MARGIN_SEED,
): KindMargin | null {
  const margin = rocAucMargin(warden, reference, episodes);
  if (margin === null) return null;
  const random = seededRandom(seed);
  const margins = new Float64Array(resamples);
  const drawn = new Array<number>(episodes.length);
  let ahead = 0;
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < episodes.length; k++) drawn[k] = episodes[Math.floor(random() * episodes.length)] as number;
    const resampled = rocAucMargin(warden, reference, drawn);
    // Only a resample of event-less episodes has no margin (an episode always has events in practice).
    if (resampled === null) continue;
    margins[kept++] = resampled;
    ahead += resampled > 0 ? 1 : resampled === 0 ? 0.5 : 0;
  }
  const sorted = margins.subarray(0, kept).sort();
  const tail = (1 - MARGIN_INTERVAL) / 2;
  return {
    margin,
    low: quantile(sorted, tail),
    high: quantile(sorted, 1 - tail),
    wardenAheadShare: kept === 0 ? Number.NaN : ahead / kept,
  };
}

/** Warden's ROC-AUC minus the reference's over `episodes` (repeats count again); null without events. */
function rocAucMargin(warden: EpisodeWins, reference: EpisodeWins, episodes: readonly number[]): number | null {
  let events = 0;
  let wardenSum = 0;
  let referenceSum = 0;
  for (const episode of episodes) {
    events += warden.counts[episode] as number;
    wardenSum += warden.sums[episode] as number;
    referenceSum += reference.sums[episode] as number;
  }
  return events === 0 ? null : (wardenSum - referenceSum) / events;
}

/** The q-quantile of sorted values, interpolating between neighbours; NaN for none. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}
