// Detection figures of one detector's per-event scores against labelled attack episodes: event-
// level ROC-AUC and PR-AUC, episode recall at a false-alert budget, and time to detect — overall
// and per attack kind. Pure functions over columns (one entry per event, in stream order).
//
// Definitions, as implemented:
// - ROC-AUC: the Mann–Whitney statistic — the chance that a random positive event outscores a
//   random negative one, ties counting one half (the rank formula with averaged tie ranks).
// - PR-AUC: average precision, Σ over distinct score values (highest first) of
//   (recall gained at that value) × (precision of all events scoring ≥ it). Tied events form one
//   step, as in scikit-learn's average_precision_score.
// - Per kind: that kind's malicious events are the positives and every benign event a negative;
//   other kinds' malicious events are left out.
// - Threshold for a false-alert budget b: the smallest score value t such that the benign
//   events scoring ≥ t number at most ⌊b × benign events⌋; +∞ (nothing flagged) if none is.
//   One threshold for the whole stream (the budget is the operator's), used for every kind.
// - Episode recall at t: the share of episodes with at least one event scoring ≥ t.
// - Time to detect at t, for a detected episode: in events, how many of the episode's events
//   (in stream order) came before the first one scoring ≥ t (0 = caught at its first event);
//   in seconds, that event's time minus the episode's labelled start. Medians are over the
//   detected episodes (the mean of the two middle values for an even count); null if none.

/** Event class for one ranking question: a positive, a negative, or not part of it. */
export const POSITIVE = 1;
export const NEGATIVE = 0;
export const EXCLUDED = -1;

export type Scores = ArrayLike<number>;
export type Classes = ArrayLike<number>;

/** Event indices by score, highest first; equal scores stay in stream order. */
export function orderByScoreDescending(scores: Scores): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/**
 * Walks `order` in groups of equal score, highest first, calling `visit(score, positives, negatives)`
 * with the group's counts of each class.
 */
function forEachScoreGroup(
  scores: Scores,
  classes: Classes,
  order: Uint32Array,
  visit: (score: number, positives: number, negatives: number) => boolean | void,
): void {
  let i = 0;
  while (i < order.length) {
    const score = scores[order[i] as number] as number;
    let positives = 0;
    let negatives = 0;
    for (; i < order.length && scores[order[i] as number] === score; i++) {
      const eventClass = classes[order[i] as number];
      if (eventClass === POSITIVE) positives++;
      else if (eventClass === NEGATIVE) negatives++;
    }
    if (visit(score, positives, negatives) === false) return;
  }
}

function countClasses(classes: Classes): { positives: number; negatives: number } {
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === POSITIVE) positives++;
    else if (classes[i] === NEGATIVE) negatives++;
  }
  return { positives, negatives };
}

/** ROC-AUC (ties count half); null without at least one positive and one negative. */
export function rocAuc(scores: Scores, classes: Classes, order: Uint32Array = orderByScoreDescending(scores)): number | null {
  const { positives, negatives } = countClasses(classes);
  if (positives === 0 || negatives === 0) return null;
  let negativesAbove = 0;
  let wins = 0;
  forEachScoreGroup(scores, classes, order, (_score, groupPositives, groupNegatives) => {
    const negativesBelow = negatives - negativesAbove - groupNegatives;
    wins += groupPositives * (negativesBelow + 0.5 * groupNegatives);
    negativesAbove += groupNegatives;
  });
  return wins / (positives * negatives);
}

/** Average precision (PR-AUC); null without positives. */
export function averagePrecision(scores: Scores, classes: Classes, order: Uint32Array = orderByScoreDescending(scores)): number | null {
  const { positives } = countClasses(classes);
  if (positives === 0) return null;
  let truePositives = 0;
  let falsePositives = 0;
  let precisionSum = 0;
  forEachScoreGroup(scores, classes, order, (_score, groupPositives, groupNegatives) => {
    truePositives += groupPositives;
    falsePositives += groupNegatives;
    if (groupPositives > 0) precisionSum += (groupPositives / positives) * (truePositives / (truePositives + falsePositives));
  });
  return precisionSum;
}

/**
 * The highest score any negative reaches and how many negatives reach it: when that count is over
 * a budget, no threshold fits it (a score that saturates, like a risk of exactly 1, shows here).
 */
export function topNegativeScore(
  scores: Scores,
  classes: Classes,
  order: Uint32Array = orderByScoreDescending(scores),
): { score: number; negatives: number } | null {
  let top: { score: number; negatives: number } | null = null;
  forEachScoreGroup(scores, classes, order, (score, _positives, negatives) => {
    if (negatives === 0) return;
    top = { score, negatives };
    return false;
  });
  return top;
}

/** Smallest score value flagging at most ⌊budget × negatives⌋ negatives; +∞ if every value flags more. */
export function thresholdForFalseAlertBudget(
  scores: Scores,
  classes: Classes,
  falseAlertsPerEvent: number,
  order: Uint32Array = orderByScoreDescending(scores),
): number {
  const allowed = Math.floor(falseAlertsPerEvent * countClasses(classes).negatives);
  let negativesAtOrAbove = 0;
  let threshold = Number.POSITIVE_INFINITY;
  forEachScoreGroup(scores, classes, order, (score, _positives, negatives) => {
    negativesAtOrAbove += negatives;
    if (negativesAtOrAbove > allowed) return false;
    threshold = score;
  });
  return threshold;
}

export interface EpisodeDetection {
  detected: boolean;
  /** Episode events before the first flagged one; NaN if not detected. */
  eventsToDetect: number;
  /** First flagged event's time minus the episode's start, in seconds; NaN if not detected. */
  secondsToDetect: number;
}

/** For each episode, whether and when an event of it first scored ≥ `threshold`. */
export function detectEpisodes(
  scores: Scores,
  episodeOf: ArrayLike<number>,
  timeMs: ArrayLike<number>,
  episodeStartMs: readonly number[],
  threshold: number,
): EpisodeDetection[] {
  const detections: EpisodeDetection[] = episodeStartMs.map(() => ({ detected: false, eventsToDetect: Number.NaN, secondsToDetect: Number.NaN }));
  const eventsSeen = new Uint32Array(episodeStartMs.length);
  for (let i = 0; i < episodeOf.length; i++) {
    const episode = episodeOf[i] as number;
    if (episode < 0) continue;
    const detection = detections[episode];
    if (!detection || detection.detected) continue;
    if ((scores[i] as number) >= threshold) {
      detection.detected = true;
      detection.eventsToDetect = eventsSeen[episode] as number;
      detection.secondsToDetect = ((timeMs[i] as number) - (episodeStartMs[episode] as number)) / 1000;
    } else {
      eventsSeen[episode] = (eventsSeen[episode] as number) + 1;
    }
  }
  return detections;
}

/** Median (mean of the two middle values for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The labelled stream every detector is measured on: one entry per scored event, stream order. */
export interface LabelledStream {
  /** Episode index of each event, -1 for a benign one. */
  episodeOf: Int32Array;
  timeMs: Float64Array;
  episodes: readonly { kind: string; startMs: number }[];
  kinds: readonly string[];
}

export const FALSE_ALERT_BUDGETS = { perThousand: 1 / 1000, perTenThousand: 1 / 10_000 } as const;

export interface DetectionFigures {
  rocAuc: number | null;
  prAuc: number | null;
  /** Episode recall at the 1-per-1,000 and 1-per-10,000 benign-event false-alert budgets. */
  recallAt1Per1000: number | null;
  recallAt1Per10000: number | null;
  /** Medians over the episodes detected at the 1-per-1,000 budget. */
  medianTtdEvents: number | null;
  medianTtdSeconds: number | null;
}

export interface DetectorFigures extends DetectionFigures {
  thresholdAt1Per1000: number;
  thresholdAt1Per10000: number;
  /** The highest benign score and how many benign events share it; null without benign events. */
  topBenign: { score: number; negatives: number } | null;
  perKind: Record<string, DetectionFigures>;
}

/** Every figure for one detector's scores, overall and per kind. */
export function measureDetector(scores: Scores, stream: LabelledStream): DetectorFigures {
  const order = orderByScoreDescending(scores);
  const allClasses = new Int8Array(stream.episodeOf.length);
  for (let i = 0; i < allClasses.length; i++) allClasses[i] = (stream.episodeOf[i] as number) < 0 ? NEGATIVE : POSITIVE;
  const thresholdAt1Per1000 = thresholdForFalseAlertBudget(scores, allClasses, FALSE_ALERT_BUDGETS.perThousand, order);
  const thresholdAt1Per10000 = thresholdForFalseAlertBudget(scores, allClasses, FALSE_ALERT_BUDGETS.perTenThousand, order);
  const starts = stream.episodes.map((episode) => episode.startMs);
  const at1000 = detectEpisodes(scores, stream.episodeOf, stream.timeMs, starts, thresholdAt1Per1000);
  const at10000 = detectEpisodes(scores, stream.episodeOf, stream.timeMs, starts, thresholdAt1Per10000);

  const figuresFor = (classes: Int8Array, inScope: (episode: number) => boolean): DetectionFigures => {
    const episodes = stream.episodes.map((_episode, index) => index).filter(inScope);
    const detected = episodes.map((index) => at1000[index] as EpisodeDetection).filter((detection) => detection.detected);
    const recall = (detections: EpisodeDetection[]) =>
      episodes.length === 0 ? null : episodes.filter((index) => (detections[index] as EpisodeDetection).detected).length / episodes.length;
    return {
      rocAuc: rocAuc(scores, classes, order),
      prAuc: averagePrecision(scores, classes, order),
      recallAt1Per1000: recall(at1000),
      recallAt1Per10000: recall(at10000),
      medianTtdEvents: median(detected.map((detection) => detection.eventsToDetect)),
      medianTtdSeconds: median(detected.map((detection) => detection.secondsToDetect)),
    };
  };

  const perKind: Record<string, DetectionFigures> = {};
  for (const kind of stream.kinds) {
    const classes = new Int8Array(allClasses.length);
    for (let i = 0; i < classes.length; i++) {
      const episode = stream.episodeOf[i] as number;
      classes[i] = episode < 0 ? NEGATIVE : stream.episodes[episode]?.kind === kind ? POSITIVE : EXCLUDED;
    }
    perKind[kind] = figuresFor(classes, (index) => stream.episodes[index]?.kind === kind);
  }
  const topBenign = topNegativeScore(scores, allClasses, order);
  return { ...figuresFor(allClasses, () => true), thresholdAt1Per1000, thresholdAt1Per10000, topBenign, perKind };
}
