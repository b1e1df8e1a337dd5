// `warden train`: trains the learned model (src/learn/) from an events NDJSON file or the stored
// `events` history and saves it to models/<name>/. Progress goes to stderr; stdout gets one JSON
// summary line. TensorFlow.js loads only when this command runs, not with every `warden` command.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/load-settings.js';
import { WardenError } from '../errors.js';
import { readLabelsFile } from '../evaluate/labels.js';
import { readLines } from '../evaluate/read-lines.js';
import { storedEventLines } from '../learn/clickhouse-history.js';
import { openClickHouse } from '../store/clickhouse-connection.js';
import type { Command } from './main.js';

export const trainCommand: Command = {
  summary: 'train the learned model (an autoencoder over per-event signal rows) from an events file or the stored history',
  usage: [
    'warden train (--events FILE [--labels FILE] | --from-clickhouse [--since ISO] [--until ISO])',
    '             [--out models/default] [--epochs 20] [--seed 1] [--max-rows 500000] [--batch-size 256] [--data-description TEXT]',
    '  --labels: attack episodes (NDJSON, as warden simulate writes them): never trained on, used to measure the model',
    '  --from-clickhouse: replays the events table of the configured store (CLICKHOUSE_URL, else the embedded one)',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        events: { type: 'string' },
        labels: { type: 'string' },
        'from-clickhouse': { type: 'boolean', default: false },
        since: { type: 'string' },
        until: { type: 'string' },
        out: { type: 'string', default: 'models/default' },
        epochs: { type: 'string', default: '20' },
        seed: { type: 'string', default: '1' },
        'max-rows': { type: 'string', default: '500000' },
        'batch-size': { type: 'string', default: '256' },
        'data-description': { type: 'string' },
      },
    });
    const fromClickHouse = values['from-clickhouse'];
    if ((values.events === undefined) === !fromClickHouse)
      throw new WardenError('USAGE', 'warden train needs exactly one of --events FILE or --from-clickhouse');
    if (!fromClickHouse && (values.since !== undefined || values.until !== undefined))
      throw new WardenError('USAGE', '--since and --until go with --from-clickhouse');
    const epochs = positiveWholeNumber(values.epochs, '--epochs');
    const seed = positiveWholeNumber(values.seed, '--seed');
    const maxRows = positiveWholeNumber(values['max-rows'], '--max-rows');
    const batchSize = positiveWholeNumber(values['batch-size'], '--batch-size');
    if (values.events !== undefined && !existsSync(values.events)) throw new WardenError('INPUT_UNREADABLE', `no such file: ${values.events}`);
    const range = { sinceMs: instant(values.since, '--since'), untilMs: instant(values.until, '--until') };
    const started = performance.now();

    const labels = values.labels === undefined ? undefined : await readLabelsFile(values.labels);
    const attackKindOf = labels && ((eventId: string) => labels.episodes[labels.episodeOfEventId.get(eventId) ?? -1]?.kind);
    const store = fromClickHouse ? await openClickHouse(loadSettings()) : undefined;
    const source = store
      ? `ClickHouse ${store.database}.events (${store.mode})${values.since ? ` since ${values.since}` : ''}${values.until ? ` until ${values.until}` : ''}`
      : basename(values.events as string);
    const { trainModel } = await import('../learn/train-model.js');
    let progressShown = false;
    try {
      const result = await trainModel({
        lines: store ? storedEventLines(store, range) : readLines(values.events as string, 'events'),
        source,
        dataDescription: values['data-description'] ?? (store ? 'the stored event history' : `the events file ${source}`),
        labelsSource: values.labels === undefined ? undefined : basename(values.labels),
        attackKindOf,
        outDir: resolve(values.out),
        epochs,
        seed,
        maxRows,
        batchSize,
        log: (line) => {
          // A progress line is rewritten in place; the next full line starts below it.
          process.stderr.write(`${progressShown ? '\n' : ''}${line}\n`);
          progressShown = false;
        },
        logProgress: (line) => {
          process.stderr.write(`\r${line}`);
          progressShown = true;
        },
      });
      process.stderr.write(`model saved to ${resolve(values.out)}\n`);
      const { metrics } = result.metadata;
      console.log(
        JSON.stringify({
          out: values.out,
          rows: result.rows,
          validationRows: result.validationRows,
          attackRows: result.attackRows,
          heldOutRows: result.heldOutRows,
          epochs,
          finalLoss: metrics.finalLoss,
          finalValidationLoss: metrics.finalValidationLoss,
          errorQuantiles: result.quantiles,
          backend: result.backend,
          trainingSeconds: Math.round(result.trainingSeconds * 10) / 10,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          inferenceRowsPerSecond: metrics.inferenceRowsPerSecond,
          labelledAttacks: metrics.labelledAttacks && {
            rocAuc: metrics.labelledAttacks.rocAuc,
            attacksAlerted: metrics.labelledAttacks.attacksAlerted,
            heldOutAlerted: metrics.labelledAttacks.heldOutAlerted,
          },
        }),
      );
    } finally {
      await store?.client.close();
    }
  },
};

function positiveWholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new WardenError('USAGE', `${flag} expects a positive whole number; got ${JSON.stringify(text)}`);
  return value;
}

function instant(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new WardenError('USAGE', `${flag} expects an ISO 8601 instant; got ${JSON.stringify(text)}`);
  return ms;
}
