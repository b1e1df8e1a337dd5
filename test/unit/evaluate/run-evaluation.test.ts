import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabelsFile } from '../../../src/evaluate/labels.js';
import { readLines } from '../../../src/evaluate/read-lines.js';
import { evaluationJson, formatEvaluationTable } from '../../../src/evaluate/report.js';
import { evaluateDetectors } from '../../../src/evaluate/run-evaluation.js';
import { MODEL_FEATURE_COUNT } from '../../../src/learn/features.js';
import type { BatchModel } from '../../../src/pipeline.js';
import { type LabelledStreamFiles, writeLabelledStream } from './fixtures/labelled-stream.js';

const written: LabelledStreamFiles[] = [];
function labelledStream(options?: Parameters<typeof writeLabelledStream>[0]): LabelledStreamFiles {
  const files = writeLabelledStream(options);
  written.push(files);
  return files;
}
afterAll(() => {
  for (const { dir } of written) rmSync(dir, { recursive: true, force: true });
});

async function evaluate(files: LabelledStreamFiles) {
  return evaluateDetectors(readLines(files.eventsPath, 'events'), await readLabelsFile(files.labelsPath));
}

describe('evaluateDetectors', () => {
  const files = labelledStream();
  const run = evaluate(files);

  it('replays every line through Warden and counts the malformed one instead of dropping it', async () => {
    const result = await run;
    expect(result.replay.linesRead).toBe(files.events.length + 1);
    expect(result.events).toBe(files.events.length);
    expect(result.replay.rejectedByCode).toEqual({ not_json: 1 });
    expect(result.replay.rejectedExamples[0]).toMatchObject({ line: 1001, code: 'not_json' });
    expect(result.maliciousEvents).toBe(300);
  });

  it('shows Warden detecting an obvious burst at its first event within 1 false alert per 1,000', async () => {
    const warden = (await run).detectors.warden;
    expect(warden.recallAt1Per1000).toBe(1);
    expect(warden.rocAuc).toBeGreaterThan(0.99);
    expect(warden.medianTtdEvents).toBe(0);
    expect(warden.perKind.exfiltration_burst?.recallAt1Per1000).toBe(1);
  });

  it('scores with a learned model when given one, batch by batch, as the service does', async () => {
    let rowsScored = 0;
    const model: BatchModel = {
      width: MODEL_FEATURE_COUNT,
      scoreBatch: (_features, rows) => {
        rowsScored += rows;
        return new Float32Array(rows).fill(1);
      },
      modelFinding: (score) => ({ signal: 'model_autoencoder', score, reason: 'the model says so' }),
    };
    const withModel = await evaluateDetectors(readLines(files.eventsPath, 'events'), await readLabelsFile(files.labelsPath), { model });
    const without = await run;
    // Every event past its agent's warm-up went through the model; a model that flags everything
    // raises benign risk too, so the ranking changes.
    expect(rowsScored).toBeGreaterThan(0.9 * without.events);
    expect(rowsScored).toBeLessThan(without.events);
    expect(withModel.detectors.warden.topBenign?.score).toBeGreaterThan(without.detectors.warden.topBenign?.score ?? 1);
  });

  it('measures both references on the same events', async () => {
    const { detectors } = await run;
    for (const reference of [detectors.rate_zscore, detectors.isolation_forest]) {
      expect(reference.rocAuc).toBeGreaterThan(0.5);
      expect(reference.perKind.exfiltration_burst).toBeDefined();
    }
  });

  it('trains the Isolation Forest on the first 30% of the event-time span', async () => {
    const { isolationForestTraining, events } = await run;
    expect(isolationForestTraining.spanShare).toBe(0.3);
    expect(isolationForestTraining.events).toBeGreaterThan(0.2 * events);
    expect(isolationForestTraining.events).toBeLessThan(0.4 * events);
    expect(isolationForestTraining.maliciousEvents).toBe(0);
  });

  it('prints a table and a JSON object with every figure for every detector', async () => {
    const result = await run;
    const json = evaluationJson(result);
    expect(Object.keys(json.detectors)).toEqual(['warden', 'rate_zscore', 'isolation_forest']);
    expect(Object.keys(json.detectors.warden ?? {})).toEqual(
      expect.arrayContaining(['roc_auc', 'pr_auc', 'recall_at_1_per_1000', 'recall_at_1_per_10000', 'median_ttd_events', 'median_ttd_seconds', 'per_kind']),
    );
    expect(json).toMatchObject({ events: files.events.length, malicious_events: 300, episodes: 2, rejected_lines: 1 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(formatEvaluationTable(result)).toContain('exfiltration_burst (2 episodes, 300 malicious events)');
    expect(formatEvaluationTable(result)).toContain(
      'A kind has as few as 2 episodes here: on so few, a close per-kind comparison is mostly chance (see the resamples); `warden simulate --attacks-per-kind 10`',
    );
  });

  it("reports per kind Warden's ROC-AUC margin over each reference with its episode-bootstrap interval", async () => {
    const result = await run;
    const { warden, isolation_forest } = result.detectors;
    const margin = result.kindMargins.exfiltration_burst?.isolation_forest;
    expect(margin?.margin).toBeCloseTo(warden.perKind.exfiltration_burst!.rocAuc! - isolation_forest.perKind.exfiltration_burst!.rocAuc!, 9);
    expect(margin!.low).toBeLessThanOrEqual(margin!.margin);
    expect(margin!.high).toBeGreaterThanOrEqual(margin!.margin);
    const json = evaluationJson(result).roc_auc_margins.exfiltration_burst?.rate_zscore;
    expect(json?.interval_90).toHaveLength(2);
    expect(formatEvaluationTable(result)).toMatch(
      /Warden − isolation_forest ROC-AUC [+−]\d\.\d{3} \(90% of 2,000 episode resamples: .* Warden ahead in \d+%\)/,
    );
  });

  it('stops with a clear error when a label names an event the events file lacks', async () => {
    const broken = labelledStream({ extraLabelledIds: ['no-such-event'] });
    await expect(evaluate(broken)).rejects.toThrow(/1 of 301 labelled event ids are not among the accepted events \(first: no-such-event of episode ep-2\)/);
  });
});
