import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelScorer } from '../../../src/learn/model-scorer.js';
import { modelMetadataSchema } from '../../../src/learn/model-store.js';
import { trainModel } from '../../../src/learn/train-model.js';
import { steadyFleet } from '../../support/events.js';

async function* linesOf(items: unknown[]): AsyncGenerator<string> {
  for (const item of items) yield JSON.stringify(item);
}

describe('trainModel', () => {
  it('saves a small, loadable model whose card states its features, data, date and measurements', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'warden-train-')), 'fleet');
    const fleet = steadyFleet({ agents: 10, eventsPerAgent: 80, startMs: Date.parse('2026-11-02T08:00:00Z'), intervalMs: 60_000 });
    const logged: string[] = [];
    const result = await trainModel({
      lines: linesOf(fleet),
      source: 'fleet.ndjson',
      dataDescription: 'steadyFleet, 10 agents × 80 events (test)',
      outDir,
      epochs: 3,
      seed: 2,
      maxRows: 10_000,
      batchSize: 64,
      log: (line) => logged.push(line),
      createdAt: '2026-11-26T00:00:00.000Z',
    });
    expect(result).toMatchObject({ attackRows: 0, backend: 'wasm' });
    expect(result.rows + result.validationRows + result.heldOutRows).toBe(500);
    expect(logged.at(0)).toMatch(/^model backend: wasm/);
    expect(logged.filter((line) => line.startsWith('epoch '))).toHaveLength(3);

    const metadata = modelMetadataSchema.parse(JSON.parse(readFileSync(join(outDir, 'metadata.json'), 'utf8')));
    expect(Object.keys(metadata.metrics.inferenceRowsPerSecond)).toEqual(['256', '1024', '4096']);
    expect(metadata.training).toMatchObject({ rows: result.rows, agents: 10, eventsRead: 800, seed: 2, backend: 'wasm', excluded: { warmup: 300 } });
    const card = readFileSync(join(outDir, 'MODEL_CARD.md'), 'utf8');
    for (const text of ['signal.event_rate', 'steadyFleet, 10 agents × 80 events (test)', '2026-11-26T00:00:00.000Z', 'p99.9', 'rows per second']) {
      expect(card).toContain(text);
    }
    const bytes = ['model.json', 'weights.bin', 'metadata.json', 'MODEL_CARD.md'].reduce((sum, file) => sum + statSync(join(outDir, file)).size, 0);
    expect(bytes).toBeLessThan(200 * 1024);

    const scorer = await ModelScorer.load(outDir);
    expect(scorer.metadata.calibration.quantiles).toEqual(result.quantiles);
    scorer.dispose();
  });
});
