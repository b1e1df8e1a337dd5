// `warden eval --events F --labels L`: replays a labelled event file through Warden's real
// scoring and two reference detectors (per-agent rate z-score, Isolation Forest) and prints how
// each ranks and catches the labelled attacks — a table, then one JSON object as the last line.
import { parseArgs } from 'node:util';
import { WardenError } from '../errors.js';
import { readLabelsFile } from '../evaluate/labels.js';
import { loadNamedModel } from '../learn/load-named-model.js';
import { readLines } from '../evaluate/read-lines.js';
import { evaluationJson, formatEvaluationTable } from '../evaluate/report.js';
import { evaluateDetectors } from '../evaluate/run-evaluation.js';
import type { Command } from './main.js';

export const evalCommand: Command = {
  summary: 'score labelled events with Warden and two reference detectors; print ROC/PR-AUC, recall, time to detect, margins per kind',
  usage:
    'warden eval --events EVENTS.ndjson --labels LABELS.ndjson [--model default|NAME|DIR|none] [--json-only] [--seed 1]\n' +
    '  --model: the learned model Warden scores with, as WARDEN_MODEL (default: models/default; none: detectors only).\n' +
    '  EVENTS: audit events v1, one per line, in time order; LABELS: one attack episode per line,\n' +
    '  {"episode_id","kind","agent_id","event_ids":[...],"start","end"}. Per kind, Warden\'s ROC-AUC margin over each\n' +
    "  reference comes with its 90% interval over 2,000 resamples of that kind's episodes. The last stdout line is JSON.",
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        events: { type: 'string' },
        labels: { type: 'string' },
        'json-only': { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        model: { type: 'string', default: 'default' },
      },
    });
    if (positionals.length > 0) throw new WardenError('USAGE', `unexpected argument "${positionals[0]}"; warden eval takes --events and --labels`);
    if (!values.events) throw new WardenError('USAGE', 'warden eval needs --events FILE (NDJSON audit events, in time order)');
    if (!values.labels) throw new WardenError('USAGE', 'warden eval needs --labels FILE (NDJSON, one attack episode per line)');
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new WardenError('USAGE', '--seed expects a whole number ≥ 0');

    const labels = await readLabelsFile(values.labels);
    const model = values.model === 'none' ? undefined : await loadNamedModel(values.model, '--model', '', (message) => process.stderr.write(`${message}\n`));
    const startedMs = Date.now();
    let lastReportMs = startedMs;
    const progress = (linesRead: number) => {
      const nowMs = Date.now();
      if (nowMs - lastReportMs < 1000) return;
      lastReportMs = nowMs;
      const perSecond = Math.round(linesRead / ((nowMs - startedMs) / 1000));
      const text = `${linesRead.toLocaleString('en-US')} events replayed, ${perSecond.toLocaleString('en-US')} events/s`;
      process.stderr.write(process.stderr.isTTY ? `\r${text}` : `${text}\n`);
    };
    const result = await evaluateDetectors(readLines(values.events, 'events'), labels, {
      onProgress: progress,
      isolationForest: { trees: 100, subsampleSize: 256, seed },
      model,
    });
    model?.dispose();
    if (process.stderr.isTTY && lastReportMs !== startedMs) process.stderr.write('\n');
    const totalSeconds = (Date.now() - startedMs) / 1000;
    const { replay, isolationForest, metrics } = result.timingsSeconds;
    process.stderr.write(
      `${result.events.toLocaleString('en-US')} events in ${totalSeconds.toFixed(1)} s (replay ${replay.toFixed(1)} s = ` +
        `${Math.round(result.replay.linesRead / Math.max(replay, 1e-9)).toLocaleString('en-US')} events/s, Isolation Forest ${isolationForest.toFixed(1)} s, metrics ${metrics.toFixed(1)} s)\n`,
    );
    if (!values['json-only']) console.log(`${formatEvaluationTable(result)}\n`);
    console.log(JSON.stringify(evaluationJson(result)));
  },
};
