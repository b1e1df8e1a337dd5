// What the benchmark reads from a running Warden process from outside: its Prometheus metrics
// (GET /metrics with the admin key) and its memory high-water mark from /proc.
import { readFile } from 'node:fs/promises';
import { TEST_ADMIN_KEY } from '../support/warden-process.js';

/** One scrape: series name with its label set as printed (`name{a="b"}`) → value. */
export type MetricSample = Map<string, number>;

export async function scrapeMetrics(baseUrl: string, timeoutMs = 5_000): Promise<MetricSample> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` }, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return parsePrometheusText(await response.text());
}

export function parsePrometheusText(text: string): MetricSample {
  const sample: MetricSample = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space < 0) continue;
    sample.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return sample;
}

/** Sum of a metric over all its label sets (a counter with a `source` label, say); 0 when absent. */
export function metricTotal(sample: MetricSample, name: string): number {
  let total = 0;
  for (const [series, value] of sample) {
    if (series === name || series.startsWith(`${name}{`)) total += value;
  }
  return total;
}

/** The value of exactly one series, e.g. `warden_kafka_append_to_stored_seconds{quantile="0.99"}`. */
export function metricSeries(sample: MetricSample, series: string): number | undefined {
  return sample.get(series);
}

/** Peak resident set (VmHWM) of a live process, in bytes. */
export async function peakResidentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM line in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
