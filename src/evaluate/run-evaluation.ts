// One evaluation run: replays the events through Warden (replay.ts) and, in the same pass, the
// two reference detectors — the rate z-score online, the Isolation Forest's features online —
// then trains the forest on the opening stretch of the stream, scores every event with it, and
// measures all three against the labels with the same figures (metrics.ts).
//
// Per event only numbers are kept (columns of typed arrays): its episode (or -1), time, three
// scores and FEATURE_COUNT features — about 100 bytes an event, so 2 M events fit in ~200 MB.
import { performance } from 'node:perf_hooks';
import { WardenError } from '../errors.js';
import { FEATURE_COUNT, FeatureExtractor } from './features.js';
import type { EpisodeLabels } from './labels.js';
import { episodeWins, type KindMargin, kindMargin } from './kind-margins.js';
import { type DetectorFigures, type LabelledStream, measureDetector } from './metrics.js';
import { DEFAULT_ISOLATION_FOREST_OPTIONS, IsolationForest, type IsolationForestOptions } from './reference/isolation-forest.js';
import { RateZScoreReference } from './reference/rate-zscore.js';
import type { BatchModel } from '../pipeline.js';
import { type ReplaySummary, replayLines } from './replay.js';

export const DETECTOR_NAMES = ['warden', 'rate_zscore', 'isolation_forest'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];
export const REFERENCE_NAMES = ['rate_zscore', 'isolation_forest'] as const satisfies readonly DetectorName[];
export type ReferenceName = (typeof REFERENCE_NAMES)[number];

/** The Isolation Forest learns from events in the first 30% of the stream's event-time span. */
export const DEFAULT_TRAINING_SPAN_SHARE = 0.3;

export interface EvaluationOptions {
  isolationForest?: IsolationForestOptions;
  /** Share of the event-time span, from the first event, whose events train the Isolation Forest. */
  trainingSpanShare?: number;
  /** Called now and then during the replay with the number of lines read. */
  onProgress?: (linesRead: number) => void;
  /** Score Warden with this learned model too (`warden eval --model`). */
  model?: BatchModel;
}

export interface KindSummary {
  kind: string;
  episodes: number;
  maliciousEvents: number;
}

export interface EvaluationResult {
  events: number;
  maliciousEvents: number;
  episodes: number;
  kinds: KindSummary[];
  replay: ReplaySummary;
  isolationForestTraining: { events: number; maliciousEvents: number; fromMs: number; untilMs: number; spanShare: number };
  detectors: Record<DetectorName, DetectorFigures>;
  /** Kinds where Warden's recall at 1/1,000 and ROC-AUC are both ≥ each reference's. */
  beatsReferencesOn: string[];
  /** Per kind, Warden's ROC-AUC margin over each reference with its episode-bootstrap interval (kind-margins.ts). */
  kindMargins: Record<string, Record<ReferenceName, KindMargin | null>>;
  /** Kinds where Warden's ROC-AUC leads both references in at least CLEARLY_AHEAD_SHARE of episode resamples. */
  clearlyAheadOn: string[];
  timingsSeconds: { replay: number; isolationForest: number; metrics: number };
}

/** Per-event columns, grown by doubling as the replay goes. */
class EventColumns {
  count = 0;
  private capacity = 1 << 16;
  timeMs = new Float64Array(this.capacity);
  episodeOf = new Int32Array(this.capacity);
  wardenRisk = new Float64Array(this.capacity);
  rateZScore = new Float64Array(this.capacity);
  features = new Float32Array(this.capacity * FEATURE_COUNT);

  /** Index of a new row, growing the columns if they are full. */
  addRow(): number {
    if (this.count === this.capacity) {
      this.capacity *= 2;
      this.timeMs = grown(this.timeMs, new Float64Array(this.capacity));
      this.episodeOf = grown(this.episodeOf, new Int32Array(this.capacity));
      this.wardenRisk = grown(this.wardenRisk, new Float64Array(this.capacity));
      this.rateZScore = grown(this.rateZScore, new Float64Array(this.capacity));
      this.features = grown(this.features, new Float32Array(this.capacity * FEATURE_COUNT));
    }
    return this.count++;
  }
}

function grown<T extends Float64Array | Float32Array | Int32Array>(old: T, larger: T): T {
  larger.set(old);
  return larger;
}

export async function evaluateDetectors(eventLines: AsyncIterable<string>, labels: EpisodeLabels, options: EvaluationOptions = {}): Promise<EvaluationResult> {
  const columns = new EventColumns();
  const rateZScore = new RateZScoreReference();
  const features = new FeatureExtractor();
  const labelledIdsFound = new Set<string>();

  const replayStarted = performance.now();
  const replay = await replayLines(
    eventLines,
    (event) => {
      const row = columns.addRow();
      const episode = labels.episodeOfEventId.get(event.event_id);
      if (episode !== undefined) labelledIdsFound.add(event.event_id);
      columns.episodeOf[row] = episode ?? -1;
      columns.timeMs[row] = event.time;
      columns.wardenRisk[row] = event.risk;
      columns.rateZScore[row] = rateZScore.scoreAndLearn(event);
      features.extract(event, columns.features, row * FEATURE_COUNT);
    },
    { onProgress: options.onProgress, model: options.model },
  );
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  requireEveryLabelledEvent(labels, labelledIdsFound, replay);
  const eventCount = columns.count;
  if (eventCount === 0) throw new WardenError('INPUT_UNREADABLE', `no event of the events file was accepted (${replay.rejected} lines refused)`);

  const forestStarted = performance.now();
  const spanShare = options.trainingSpanShare ?? DEFAULT_TRAINING_SPAN_SHARE;
  const fromMs = columns.timeMs[0] as number;
  const untilMs = fromMs + spanShare * ((columns.timeMs[eventCount - 1] as number) - fromMs);
  let trainingRows = 0;
  while (trainingRows < eventCount && (columns.timeMs[trainingRows] as number) < untilMs) trainingRows++;
  // A stream too short in time to have an opening stretch trains on everything.
  if (trainingRows < 2) trainingRows = eventCount;
  const forest = IsolationForest.fit(columns.features, FEATURE_COUNT, trainingRows, options.isolationForest ?? DEFAULT_ISOLATION_FOREST_OPTIONS);
  const forestScores = forest.scoreRows(columns.features, eventCount);
  const forestSeconds = (performance.now() - forestStarted) / 1000;

  const metricsStarted = performance.now();
  const stream: LabelledStream = {
    episodeOf: columns.episodeOf.subarray(0, eventCount),
    timeMs: columns.timeMs.subarray(0, eventCount),
    episodes: labels.episodes,
    kinds: labels.kinds,
  };
  const detectors: Record<DetectorName, DetectorFigures> = {
    warden: measureDetector(columns.wardenRisk.subarray(0, eventCount), stream),
    rate_zscore: measureDetector(columns.rateZScore.subarray(0, eventCount), stream),
    isolation_forest: measureDetector(forestScores, stream),
  };
  const kindMargins = marginsPerKind(stream, {
    warden: columns.wardenRisk.subarray(0, eventCount),
    rate_zscore: columns.rateZScore.subarray(0, eventCount),
    isolation_forest: forestScores,
  });
  const metricsSeconds = (performance.now() - metricsStarted) / 1000;

  const maliciousEventsOfKind = new Map<string, number>();
  let maliciousEvents = 0;
  let maliciousInTraining = 0;
  for (let row = 0; row < eventCount; row++) {
    const episode = labels.episodes[columns.episodeOf[row] as number];
    if (!episode) continue;
    maliciousEvents++;
    if (row < trainingRows) maliciousInTraining++;
    maliciousEventsOfKind.set(episode.kind, (maliciousEventsOfKind.get(episode.kind) ?? 0) + 1);
  }

  return {
    events: eventCount,
    maliciousEvents,
    episodes: labels.episodes.length,
    kinds: labels.kinds.map((kind) => ({
      kind,
      episodes: labels.episodes.filter((episode) => episode.kind === kind).length,
      maliciousEvents: maliciousEventsOfKind.get(kind) ?? 0,
    })),
    replay,
    isolationForestTraining: {
      events: trainingRows,
      maliciousEvents: maliciousInTraining,
      fromMs,
      untilMs: trainingRows === eventCount ? (columns.timeMs[eventCount - 1] as number) : untilMs,
      spanShare,
    },
    detectors,
    beatsReferencesOn: kindsWhereWardenBeatsReferences(labels.kinds, detectors),
    kindMargins,
    clearlyAheadOn: kindsClearlyAhead(labels.kinds, kindMargins),
    timingsSeconds: { replay: replaySeconds, isolationForest: forestSeconds, metrics: metricsSeconds },
  };
}

/** A label naming an event the replay never scored is a mismatch of the two files: stop and say so. */
function requireEveryLabelledEvent(labels: EpisodeLabels, found: ReadonlySet<string>, replay: ReplaySummary): void {
  if (found.size === labels.episodeOfEventId.size) return;
  let missing = 0;
  let example: string | undefined;
  for (const [eventId, episode] of labels.episodeOfEventId) {
    if (found.has(eventId)) continue;
    missing++;
    example ??= `${eventId} of episode ${labels.episodes[episode]?.episodeId ?? episode}`;
  }
  const refused = replay.rejected > 0 ? `; ${replay.rejected} event lines were refused by the parser, which may include them` : '';
  throw new WardenError(
    'INPUT_UNREADABLE',
    `${missing} of ${labels.episodeOfEventId.size} labelled event ids are not among the accepted events (first: ${example})${refused}`,
  );
}

export function kindsWhereWardenBeatsReferences(kinds: readonly string[], detectors: Record<DetectorName, DetectorFigures>): string[] {
  const atLeast = (ours: number | null, theirs: number | null) => ours !== null && (theirs === null || ours >= theirs);
  return kinds.filter((kind) => {
    const warden = detectors.warden.perKind[kind];
    if (!warden) return false;
    return REFERENCE_NAMES.every((reference) => {
      const figures = detectors[reference].perKind[kind];
      return atLeast(warden.recallAt1Per1000, figures?.recallAt1Per1000 ?? null) && atLeast(warden.rocAuc, figures?.rocAuc ?? null);
    });
  });
}

/** Share of episode resamples in which Warden must lead a reference for the lead not to be chance. */
export const CLEARLY_AHEAD_SHARE = 0.95;

/** Kinds whose ROC-AUC margin over every reference is positive in CLEARLY_AHEAD_SHARE of resamples. */
export function kindsClearlyAhead(kinds: readonly string[], margins: EvaluationResult['kindMargins']): string[] {
  return kinds.filter((kind) => REFERENCE_NAMES.every((name) => (margins[kind]?.[name]?.wardenAheadShare ?? 0) >= CLEARLY_AHEAD_SHARE));
}

/** Warden's ROC-AUC margin over each reference, per kind, with how far chance alone moves it. */
function marginsPerKind(stream: LabelledStream, scores: Record<DetectorName, Float64Array>): EvaluationResult['kindMargins'] {
  const warden = episodeWins(scores.warden, stream);
  const references = REFERENCE_NAMES.map((name) => [name, episodeWins(scores[name], stream)] as const);
  const margins: EvaluationResult['kindMargins'] = {};
  for (const kind of stream.kinds) {
    const episodes = stream.episodes.flatMap((episode, index) => (episode.kind === kind ? [index] : []));
    margins[kind] = Object.fromEntries(references.map(([name, wins]) => [name, kindMargin(warden, wins, episodes)])) as Record<
      ReferenceName,
      KindMargin | null
    >;
  }
  return margins;
}
