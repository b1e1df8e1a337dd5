// How an evaluation reads: a table for people and one JSON object for machines (the CLI prints
// it as the last stdout line). Pure: result in, text out.
import { CLEARLY_AHEAD_SHARE, DETECTOR_NAMES, type EvaluationResult, REFERENCE_NAMES } from './run-evaluation.js';
import { KIND_MARGIN_RESAMPLES, type KindMargin, MARGIN_INTERVAL } from './kind-margins.js';
import type { DetectionFigures, DetectorFigures } from './metrics.js';

export interface DetectionFiguresJson {
  roc_auc: number | null;
  pr_auc: number | null;
  recall_at_1_per_1000: number | null;
  recall_at_1_per_10000: number | null;
  median_ttd_events: number | null;
  median_ttd_seconds: number | null;
}

export interface DetectorFiguresJson extends DetectionFiguresJson {
  /** null when no score value keeps within the budget (nothing is flagged). */
  threshold_at_1_per_1000: number | null;
  threshold_at_1_per_10000: number | null;
  /** The highest score a benign event reaches, and how many benign events reach it. */
  top_benign_score: number | null;
  benign_at_top_score: number;
  per_kind: Record<string, DetectionFiguresJson>;
}

export interface KindMarginJson {
  /** Warden's ROC-AUC minus the reference's. */
  margin: number | null;
  /** The middle 90% of the margin over episode resamples (kind-margins.ts). */
  interval_90: [number | null, number | null];
  warden_ahead_share: number | null;
}

export interface EvaluationReportJson {
  events: number;
  malicious_events: number;
  episodes: number;
  detectors: Record<string, DetectorFiguresJson>;
  beats_references_on: string[];
  /** Kinds where Warden's ROC-AUC leads both references in at least 95% of episode resamples. */
  clearly_ahead_on: string[];
  /** Per kind and reference: how sure the ROC-AUC comparison is, given the kind's few episodes. */
  roc_auc_margins: Record<string, Record<string, KindMarginJson | null>>;
  kinds: Record<string, { episodes: number; malicious_events: number }>;
  lines_read: number;
  rejected_lines: number;
  rejected_by_code: Record<string, number>;
  warden_alerts_opened: number;
  isolation_forest_training: { events: number; malicious_events: number; from: string; until: string; span_share: number };
}

/** Six decimals are plenty for a figure and keep the JSON line readable; ±∞ and NaN become null. */
function rounded(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.round(value * 1e6) / 1e6;
}

function figuresJson(figures: DetectionFigures): DetectionFiguresJson {
  return {
    roc_auc: rounded(figures.rocAuc),
    pr_auc: rounded(figures.prAuc),
    recall_at_1_per_1000: rounded(figures.recallAt1Per1000),
    recall_at_1_per_10000: rounded(figures.recallAt1Per10000),
    median_ttd_events: rounded(figures.medianTtdEvents),
    median_ttd_seconds: rounded(figures.medianTtdSeconds),
  };
}

function marginJson(margin: KindMargin | null): KindMarginJson | null {
  if (!margin) return null;
  return { margin: rounded(margin.margin), interval_90: [rounded(margin.low), rounded(margin.high)], warden_ahead_share: rounded(margin.wardenAheadShare) };
}

function detectorJson(figures: DetectorFigures): DetectorFiguresJson {
  const perKind: Record<string, DetectionFiguresJson> = {};
  for (const [kind, kindFigures] of Object.entries(figures.perKind)) perKind[kind] = figuresJson(kindFigures);
  return {
    ...figuresJson(figures),
    threshold_at_1_per_1000: rounded(figures.thresholdAt1Per1000),
    threshold_at_1_per_10000: rounded(figures.thresholdAt1Per10000),
    top_benign_score: rounded(figures.topBenign?.score ?? null),
    benign_at_top_score: figures.topBenign?.negatives ?? 0,
    per_kind: perKind,
  };
}

export function evaluationJson(result: EvaluationResult): EvaluationReportJson {
  const detectors: Record<string, DetectorFiguresJson> = {};
  for (const name of DETECTOR_NAMES) detectors[name] = detectorJson(result.detectors[name]);
  const kinds: EvaluationReportJson['kinds'] = {};
  for (const { kind, episodes, maliciousEvents } of result.kinds) kinds[kind] = { episodes, malicious_events: maliciousEvents };
  const training = result.isolationForestTraining;
  return {
    events: result.events,
    malicious_events: result.maliciousEvents,
    episodes: result.episodes,
    detectors,
    beats_references_on: result.beatsReferencesOn,
    clearly_ahead_on: result.clearlyAheadOn,
    roc_auc_margins: Object.fromEntries(
      Object.entries(result.kindMargins).map(([kind, margins]) => [kind, Object.fromEntries(REFERENCE_NAMES.map((name) => [name, marginJson(margins[name])]))]),
    ),
    kinds,
    lines_read: result.replay.linesRead,
    rejected_lines: result.replay.rejected,
    rejected_by_code: { ...result.replay.rejectedByCode },
    warden_alerts_opened: result.replay.alertsOpened,
    isolation_forest_training: {
      events: training.events,
      malicious_events: training.maliciousEvents,
      from: new Date(training.fromMs).toISOString(),
      until: new Date(training.untilMs).toISOString(),
      span_share: training.spanShare,
    },
  };
}

const COLUMNS = ['ROC-AUC', 'PR-AUC', 'recall@1/1k', 'recall@1/10k', 'TTD events', 'TTD s'] as const;
const NAME_WIDTH = 20;
const COLUMN_WIDTH = 13;

function cell(value: number | null, digits: number): string {
  return (value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits)).padStart(COLUMN_WIDTH);
}

function figuresLine(name: string, figures: DetectionFigures): string {
  return (
    `  ${name.padEnd(NAME_WIDTH)}` +
    cell(figures.rocAuc, 4) +
    cell(figures.prAuc, 4) +
    cell(figures.recallAt1Per1000, 3) +
    cell(figures.recallAt1Per10000, 3) +
    cell(figures.medianTtdEvents, 1) +
    cell(figures.medianTtdSeconds, 1)
  );
}

const count = (value: number) => value.toLocaleString('en-US');

function thresholdLine(name: string, figures: DetectorFigures): string {
  const threshold = (value: number) => (Number.isFinite(value) ? value.toPrecision(6) : 'none fits');
  const top = figures.topBenign;
  const topText = top
    ? `; the top benign score ${top.score.toPrecision(6)} is reached by ${count(top.negatives)} benign event${top.negatives === 1 ? '' : 's'}`
    : '';
  return `  ${name.padEnd(NAME_WIDTH)}1/1k: ${threshold(figures.thresholdAt1Per1000)}, 1/10k: ${threshold(figures.thresholdAt1Per10000)}${topText}`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}

/**
 * Episodes a kind below which the table says its per-kind comparisons are mostly chance: with three
 * (the simulator's default) one episode's preamble decides a kind; with ten, the margins measured on
 * eleven seeds (docs/detection.md) had 90% intervals clear of zero on every kind.
 */
export const EPISODES_PER_KIND_TO_COMPARE = 10;

function marginLine(reference: string, margin: KindMargin): string {
  return (
    `  Warden − ${reference} ROC-AUC ${signed(margin.margin)} ` +
    `(${Math.round(MARGIN_INTERVAL * 100)}% of ${count(KIND_MARGIN_RESAMPLES)} episode resamples: ${signed(margin.low)} … ${signed(margin.high)}; ` +
    `Warden ahead in ${Math.round(margin.wardenAheadShare * 100)}%)`
  );
}

/** The human-readable report: totals, then one block of detector rows overall and per kind. */
export function formatEvaluationTable(result: EvaluationResult): string {
  const lines: string[] = [];
  const { replay } = result;
  lines.push(
    `${count(result.events)} events scored (${count(result.maliciousEvents)} malicious, in ${count(result.episodes)} episodes of ${result.kinds.length} kinds); ` +
      `${count(replay.rejected)} of ${count(replay.linesRead)} lines refused by the parser; Warden opened ${count(replay.alertsOpened)} alerts`,
  );
  for (const [code, refused] of Object.entries(replay.rejectedByCode)) lines.push(`  refused ${code}: ${count(refused)}`);
  for (const example of replay.rejectedExamples.slice(0, 5)) lines.push(`  line ${example.line}: ${example.code}: ${example.reason}`);
  const training = result.isolationForestTraining;
  lines.push(
    `Isolation Forest trained on the ${count(training.events)} events from ${new Date(training.fromMs).toISOString()} until ${new Date(training.untilMs).toISOString()} ` +
      `(first ${Math.round(training.spanShare * 100)}% of the event-time span; ${count(training.maliciousEvents)} of them malicious)`,
  );
  lines.push(
    'Recall = share of episodes with an event at or above the threshold that allows 1 false alert per 1,000 (10,000) benign events; TTD = median time to detect at 1/1,000.',
  );
  const header = `  ${''.padEnd(NAME_WIDTH)}${COLUMNS.map((column) => column.padStart(COLUMN_WIDTH)).join('')}`;
  lines.push('', `all kinds (${count(result.episodes)} episodes, ${count(result.maliciousEvents)} malicious events)`, header);
  for (const name of DETECTOR_NAMES) lines.push(figuresLine(name, result.detectors[name]));
  lines.push('', 'thresholds (score ≥ threshold flags an event):');
  for (const name of DETECTOR_NAMES) lines.push(thresholdLine(name, result.detectors[name]));
  for (const { kind, episodes, maliciousEvents } of result.kinds) {
    lines.push('', `${kind} (${count(episodes)} episodes, ${count(maliciousEvents)} malicious events)`, header);
    for (const name of DETECTOR_NAMES) {
      const figures = result.detectors[name].perKind[kind];
      if (figures) lines.push(figuresLine(name, figures));
    }
    const margins = result.kindMargins[kind];
    for (const name of REFERENCE_NAMES) {
      const margin = margins?.[name];
      if (margin) lines.push(marginLine(name, margin));
    }
  }
  lines.push(
    '',
    result.beatsReferencesOn.length > 0
      ? `Warden's recall@1/1k and ROC-AUC are at least both references' on: ${result.beatsReferencesOn.join(', ')}`
      : "Warden's recall@1/1k and ROC-AUC are at least both references' on no kind",
  );
  const clearlyAhead = result.clearlyAheadOn;
  lines.push(
    `Warden's ROC-AUC is above both references' in at least ${Math.round(CLEARLY_AHEAD_SHARE * 100)}% of episode resamples on ` +
      `${clearlyAhead.length} of ${result.kinds.length} kinds${clearlyAhead.length > 0 ? `: ${clearlyAhead.join(', ')}` : ''}`,
  );
  const fewest = Math.min(...result.kinds.map((kind) => kind.episodes));
  if (fewest < EPISODES_PER_KIND_TO_COMPARE) {
    lines.push(
      `A kind has as few as ${fewest} episode${fewest === 1 ? '' : 's'} here: on so few, a close per-kind comparison is mostly chance (see the resamples); ` +
        `\`warden simulate --attacks-per-kind ${EPISODES_PER_KIND_TO_COMPARE}\` gives every kind enough to rank detectors by.`,
    );
  }
  return lines.join('\n');
}
