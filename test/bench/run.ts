// Warden's benchmark (`npm run bench`, `warden bench`): throughput end to end against a bare
// kafkajs consumer, latency at a fixed offered load, peak memory, checkpoint size per agent,
// scoring speed, and the CPU cost of storing a row — which with the bare consumer's CPU per event
// bounds what any pipeline could reach on this machine (the `ceiling` figures) — on the real
// engines (librdkafka's mock cluster over TCP, Warden as a child process with embedded chDB). Progress goes to stderr; the last stdout line is one JSON object.
//
// Sizes can be changed for experiments with BENCH_EVENTS, BENCH_AGENTS, BENCH_PARTITIONS,
// BENCH_LOAD_RATE, BENCH_LOAD_SECONDS, BENCH_LOAD_TICK_MS; Warden tuning settings in the environment
// (KAFKA_PARTITIONS_CONCURRENCY, WARDEN_BATCH_MAX_ROWS, WARDEN_BATCH_MAX_DELAY_MS,
// WARDEN_CHECKPOINT_INTERVAL_MS) are handed to the Warden processes and echoed in the output, and
// BENCH_WARDEN_NODE_OPTIONS becomes their NODE_OPTIONS (e.g. `--import ./profiler.mjs`).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsSchema } from '../../src/config/settings.js';
import { loadNamedModel } from '../../src/learn/load-named-model.js';
import { embeddedClickHouse, scalar } from '../support/clickhouse-queries.js';
import { type MockBroker, startMockBroker, uniqueName } from '../support/kafka-mock-broker.js';
import { produceRecords } from '../support/kafka-records.js';
import { type WardenProcess, startWardenProcess } from '../support/warden-process.js';
import { agentIds, createFleet, historyRecords, liveRecord } from './bench-fleet.js';
import { bareConsumerThroughput, offerFixedLoad, partitionOfKey, topicExtent } from './bench-kafka.js';
import { parseAll, profileJsonBytes, scoringPass } from './in-process-stages.js';
import { measureStorageFloor, type StorageFloor } from './storage-floor.js';
import { type MetricSample, metricSeries, metricTotal, peakResidentBytes, scrapeMetrics } from './warden-probe.js';

const EVENTS = positiveIntFromEnv('BENCH_EVENTS', 200_000);
const AGENTS = positiveIntFromEnv('BENCH_AGENTS', 1_000);
const PARTITIONS = positiveIntFromEnv('BENCH_PARTITIONS', 16);
const LOAD_RATE = positiveIntFromEnv('BENCH_LOAD_RATE', 5_000);
const LOAD_SECONDS = positiveIntFromEnv('BENCH_LOAD_SECONDS', 10);
const LOAD_TICK_MS = positiveIntFromEnv('BENCH_LOAD_TICK_MS', 100);
/**
 * librdkafka's mock answers a fetch with ONE message set (one produce request's records) per
 * partition (rdkafka_mock_handlers.c: "FIXME: Multiple messageSets ?"), where a real broker
 * returns up to kafkajs' maxBytesPerPartition (1 MB) of consecutive sets. Producing the backlog
 * in requests of ~2,000 events per partition (~600 KB) makes each mock fetch about what a real
 * broker would return for a backlog; smaller requests would measure the mock, not the consumer.
 */
const PRODUCE_EVENTS_PER_PARTITION_SET = 2_000;
/** How long the latency run may take to store the offered load after the load ends. */
const DRAIN_TIMEOUT_MS = 60_000;
const SEED = 20_261_124;
/** Event times of the history: the last three days, ending a few minutes ago. */
const HISTORY_SPAN_MS = 3 * 24 * 3_600_000;
/** Every agent gets past the 30-event warm-up, so the measured runs score, not just learn. */
const MIN_EVENTS_PER_AGENT = 60;
const METRICS_POLL_MS = 100;
const SCORING_MEASURED_PASSES = 3;
/** The whole run must stay well under the 10 minutes a foreground command gets here. */
const OVERALL_DEADLINE_MS = 9 * 60_000;
const STALL_TIMEOUT_MS = 60_000;
const TUNING_SETTINGS = ['KAFKA_PARTITIONS_CONCURRENCY', 'WARDEN_BATCH_MAX_ROWS', 'WARDEN_BATCH_MAX_DELAY_MS', 'WARDEN_CHECKPOINT_INTERVAL_MS'] as const;
/** Warden's own defaults (settings.ts): the bare consumer reads partitions as concurrently as Warden does. */
const WARDEN_DEFAULTS = settingsSchema.parse({});

const benchStartedMs = performance.now();
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];

function progress(message: string): void {
  process.stderr.write(`[bench +${((performance.now() - benchStartedMs) / 1000).toFixed(1)}s] ${message}\n`);
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got "${text}"`);
  return value;
}

function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CpuTicks {
  busy: number;
  total: number;
}

/** Busy and total jiffies of the whole machine, to tell "Warden is slow" from "the box is full". */
function machineCpuTicks(): CpuTicks {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

function wardenSettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of TUNING_SETTINGS) {
    const value = process.env[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  const nodeOptions = process.env.BENCH_WARDEN_NODE_OPTIONS;
  if (nodeOptions !== undefined && nodeOptions !== '') settings.NODE_OPTIONS = nodeOptions;
  return settings;
}

function machineBusyShare(from: CpuTicks, to: CpuTicks): number | null {
  const total = to.total - from.total;
  return total > 0 ? round((to.busy - from.busy) / total, 2) : null;
}

async function startWarden(env: Record<string, string>, label: string): Promise<WardenProcess> {
  progress(`${label}: starting Warden (embedded chDB in ${env.WARDEN_DATA_DIR ?? '?'})`);
  const warden = await startWardenProcess(env, 90_000);
  cleanups.push({ what: `${label} Warden process ${warden.pid}`, run: () => warden.stop(30_000) });
  return warden;
}

/** Stops a Warden gracefully and insists on a clean exit: its final checkpoint is part of the result. */
async function stopWarden(warden: WardenProcess, label: string): Promise<void> {
  const code = await warden.stop(60_000);
  if (code !== 0) throw new Error(`${label} Warden exited with code ${code}; stderr: ${warden.stderr().trim().split('\n').slice(-3).join(' | ')}`);
}

interface StoredPoll {
  /** Wall-clock (Date.now) of the first poll that saw a stored row. */
  firstStoredAtMs: number | undefined;
  firstStored: MetricSample | undefined;
  /** Machine CPU ticks at the first poll that saw a stored row, and at the last poll. */
  firstStoredTicks: CpuTicks | undefined;
  reachedTicks: CpuTicks;
  /** Whether `target` rows were stored before the deadline. */
  reached: boolean;
  /** Wall-clock of the poll that first saw `target` rows stored (or the last poll). */
  reachedAtMs: number;
  last: MetricSample;
}

/**
 * Polls /metrics until `target` events are stored; fails on a stall or an exit. With `deadlineMs`
 * (wall clock) it returns unreached at the deadline instead: falling behind is a result there.
 */
async function waitUntilStored(
  warden: WardenProcess,
  target: number,
  label: string,
  options: { onPoll?: (sample: MetricSample) => void; deadlineMs?: number } = {},
): Promise<StoredPoll> {
  let firstStoredAtMs: number | undefined;
  let firstStored: MetricSample | undefined;
  let firstStoredTicks: CpuTicks | undefined;
  let lastStored = -1;
  let lastProgressAtMs = Date.now();
  let exited = false;
  void warden.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${label}: Warden exited while storing; stderr: ${warden.stderr().trim().split('\n').slice(-3).join(' | ')}`);
    const sample = await scrapeMetrics(warden.url);
    const polledAtMs = Date.now();
    options.onPoll?.(sample);
    const stored = metricTotal(sample, 'warden_events_stored_total');
    if (stored > 0 && firstStoredAtMs === undefined) {
      firstStoredAtMs = polledAtMs;
      firstStored = sample;
      firstStoredTicks = machineCpuTicks();
    }
    const reached = stored >= target;
    if (reached || (options.deadlineMs !== undefined && polledAtMs >= options.deadlineMs)) {
      return { firstStoredAtMs, firstStored, firstStoredTicks, reached, reachedTicks: machineCpuTicks(), reachedAtMs: polledAtMs, last: sample };
    }
    if (stored > lastStored) {
      lastStored = stored;
      lastProgressAtMs = polledAtMs;
    } else if (polledAtMs - lastProgressAtMs > STALL_TIMEOUT_MS) {
      const rejected = metricTotal(sample, 'warden_events_rejected_total');
      throw new Error(
        `${label}: stored count stuck at ${stored} of ${target} for ${STALL_TIMEOUT_MS / 1000} s (rejected ${rejected}); last log: ${JSON.stringify(warden.logs.at(-1) ?? {})}`,
      );
    }
    await sleep(METRICS_POLL_MS);
  }
}

async function run(): Promise<Record<string, unknown>> {
  const tempRoot = await mkdtemp(join(tmpdir(), 'warden-bench-'));
  cleanups.push({ what: `temp dir ${tempRoot}`, run: () => rm(tempRoot, { recursive: true, force: true }) });
  const dataDir = join(tempRoot, 'warden-data');
  const tuning = wardenSettings();
  const partitionsConcurrency = Number(tuning.KAFKA_PARTITIONS_CONCURRENCY ?? WARDEN_DEFAULTS.KAFKA_PARTITIONS_CONCURRENCY);

  progress('starting the mock Kafka cluster');
  const broker: MockBroker = await startMockBroker();
  cleanups.push({ what: 'mock Kafka broker', run: () => broker.stop() });
  const bootstrap = broker.bootstrapServers;
  const topic = uniqueName('bench-audit');
  await broker.createTopic(topic, PARTITIONS);
  await broker.createTopic(`${topic}.dlq`, 1);

  // 1. Traffic: a fleet's last three days, produced keyed by agent id.
  const runTag = uniqueName('evt');
  const fleet = createFleet(AGENTS, SEED);
  const history = historyRecords(fleet, {
    total: EVENTS,
    endMs: Date.now() - 10 * 60_000,
    spanMs: HISTORY_SPAN_MS,
    minPerAgent: MIN_EVENTS_PER_AGENT,
    idPrefix: runTag,
  });
  const averageEventBytes = history.reduce((sum, record) => sum + Buffer.byteLength(record.value), 0) / history.length;
  progress(
    `generated ${history.length} events over ${AGENTS} agents (${averageEventBytes.toFixed(0)} B each on average); producing to ${topic} (${PARTITIONS} partitions)`,
  );
  const produceStarted = performance.now();
  const produceChunk = PRODUCE_EVENTS_PER_PARTITION_SET * PARTITIONS;
  await produceRecords(bootstrap, topic, history, produceChunk);
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  const extent = await topicExtent(bootstrap, topic);
  if (extent.kept !== history.length || extent.dropped > 0) {
    throw new Error(
      `the mock broker kept ${extent.kept} of ${history.length} events (dropped ${extent.dropped}, ~5 MB per partition): raise BENCH_PARTITIONS or lower BENCH_EVENTS`,
    );
  }
  progress(`produced in ${produceSeconds.toFixed(1)} s (${round(history.length / produceSeconds)} events/s)`);

  // 2. Ceiling: a consumer that does nothing but JSON.parse.
  progress('bare kafkajs consumer: reading the whole topic');
  const bare = await bareConsumerThroughput(bootstrap, topic, history.length, { partitionsConsumedConcurrently: partitionsConcurrency, timeoutMs: 120_000 });
  progress(
    `bare consumer: ${bare.events} events in ${bare.seconds.toFixed(2)} s = ${round(bare.eventsPerSecond)} events/s (${bare.cpuMicrosPerEvent.toFixed(1)} µs of CPU per event)`,
  );

  // 3. End to end: Warden reads the same topic from the start with its own group.
  const groupId = uniqueName('bench-warden');
  const wardenEnv: Record<string, string> = {
    KAFKA_BROKERS: bootstrap.join(','),
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    KAFKA_GROUP_ID: groupId,
    // The mock makes a rejoining member wait out the old one's session (phase 4 restarts).
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    WARDEN_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...tuning,
  };
  const e2eWarden = await startWarden(wardenEnv, 'end to end');
  let peakPendingRows = 0;
  const e2ePoll = await waitUntilStored(e2eWarden, history.length, 'end to end', {
    onPoll: (sample) => (peakPendingRows = Math.max(peakPendingRows, metricTotal(sample, 'warden_store_pending_rows'))),
  });
  const tookOver = e2eWarden.logs.filter((line) => line.msg === 'took over partition').map((line) => Number(line.time));
  const startCandidates = [...tookOver, e2ePoll.firstStoredAtMs ?? Number.POSITIVE_INFINITY].filter(Number.isFinite);
  const e2eStartMs = Math.min(...startCandidates);
  const e2eSeconds = (e2ePoll.reachedAtMs - e2eStartMs) / 1000;
  const e2eRate = history.length / e2eSeconds;
  const e2eEnd = e2ePoll.last;
  const storeFlushSeconds = metricTotal(e2eEnd, 'warden_store_flush_seconds_sum');
  const storeFlushes = metricTotal(e2eEnd, 'warden_store_flush_seconds_count');
  // CPU and GC between the first poll that saw stored rows and the last one: the busy window.
  const busyFrom = e2ePoll.firstStored ?? e2eEnd;
  const busySeconds = (e2ePoll.reachedAtMs - (e2ePoll.firstStoredAtMs ?? e2ePoll.reachedAtMs)) / 1000;
  const wardenCpuSeconds = metricTotal(e2eEnd, 'warden_process_cpu_seconds_total') - metricTotal(busyFrom, 'warden_process_cpu_seconds_total');
  const gcSeconds = metricTotal(e2eEnd, 'warden_nodejs_gc_duration_seconds_sum') - metricTotal(busyFrom, 'warden_nodejs_gc_duration_seconds_sum');
  const e2eBreakdown = {
    seconds: round(e2eSeconds, 2),
    start_from: tookOver.length > 0 ? "first 'took over partition' log line" : 'first non-zero stored count',
    partitions_taken_over: tookOver.length,
    accepted: metricTotal(e2eEnd, 'warden_events_accepted_total'),
    rejected: metricTotal(e2eEnd, 'warden_events_rejected_total'),
    alerts_opened: metricTotal(e2eEnd, 'warden_alerts_opened_total'),
    store_flushes: storeFlushes,
    store_flush_seconds_total: round(storeFlushSeconds, 2),
    store_rows_per_flush: storeFlushes > 0 ? round(history.length / storeFlushes) : 0,
    store_busy_share: round(storeFlushSeconds / e2eSeconds, 2),
    peak_pending_rows: peakPendingRows,
    // Process CPU includes chDB's native threads, which run inside the Warden process.
    warden_cpu_seconds_while_storing: round(wardenCpuSeconds, 2),
    warden_cores_busy_while_storing: busySeconds > 0 ? round(wardenCpuSeconds / busySeconds, 2) : null,
    warden_gc_seconds: round(gcSeconds, 2),
    machine_cpu_busy_share_while_storing: machineBusyShare(e2ePoll.firstStoredTicks ?? e2ePoll.reachedTicks, e2ePoll.reachedTicks),
    event_loop_lag_p99_ms: round(metricTotal(e2eEnd, 'warden_nodejs_eventloop_lag_p99_seconds') * 1000, 1),
  };
  progress(
    `end to end: ${history.length} events stored in ${e2eSeconds.toFixed(2)} s = ${round(e2eRate)} events/s (${round(e2eRate / bare.eventsPerSecond, 2)} × bare)`,
  );
  const e2ePeakRss = await peakResidentBytes(e2eWarden.pid);
  progress('end to end: stopping Warden (final checkpoint and commit)');
  await stopWarden(e2eWarden, 'end to end');

  // 4. Latency at a fixed offered load. The append→stored summary covers a process's whole life,
  // so the latency run is a restart of the same deployment (same group, same data dir): it resumes
  // at the committed end of the topic with the baselines restored, caught up, and its summary
  // holds only this phase. One warm-up event per partition first takes the partitions over
  // (restoring their agents), so the load does not pay for the restart.
  const latencyWarden = await startWarden(wardenEnv, 'latency');
  await latencyWarden.waitForLog((line) => line.msg === 'joined consumer group' && Array.isArray(line.assigned) && line.assigned.length === PARTITIONS, 60_000);
  const warmupAgents = new Map<number, string>();
  for (const agentId of agentIds(fleet)) {
    const partition = partitionOfKey(agentId, PARTITIONS);
    if (!warmupAgents.has(partition)) warmupAgents.set(partition, agentId);
  }
  if (warmupAgents.size !== PARTITIONS) throw new Error(`the fleet's agents cover only ${warmupAgents.size} of ${PARTITIONS} partitions`);
  const warmupRecords = [...warmupAgents.values()].map((agentId, n) => liveRecord(fleet, `${runTag}-warmup-${n}`, Date.now(), agentId));
  await produceRecords(bootstrap, topic, warmupRecords);
  const warmedUp = await waitUntilStored(latencyWarden, warmupRecords.length, 'latency warm-up');
  const warmupCount = metricTotal(warmedUp.last, 'warden_kafka_append_to_stored_seconds_count');
  const warmupSum = metricTotal(warmedUp.last, 'warden_kafka_append_to_stored_seconds_sum');
  const restartTakeOvers = latencyWarden.logs.filter((line) => line.msg === 'took over partition');
  const restoredAgents = restartTakeOvers.reduce((sum, line) => sum + Number(line.restoredAgents ?? 0), 0);
  progress(
    `latency: restarted Warden took over ${restartTakeOvers.length} partitions (${restoredAgents} agents restored); offering ${LOAD_RATE} events/s for ${LOAD_SECONDS} s in sends every ${LOAD_TICK_MS} ms`,
  );

  const load = await offerFixedLoad(bootstrap, topic, { ratePerSecond: LOAD_RATE, durationMs: LOAD_SECONDS * 1000, tickMs: LOAD_TICK_MS }, (n, timeMs) =>
    liveRecord(fleet, `${runTag}-live-${n.toString(36)}`, timeMs),
  );
  const loadEndedAtMs = Date.now();
  const loadStored = await waitUntilStored(latencyWarden, warmupRecords.length + load.sent, 'latency', { deadlineMs: loadEndedAtMs + DRAIN_TIMEOUT_MS });
  const latencySample = loadStored.last;
  const quantileMs = (q: string) => round((metricSeries(latencySample, `warden_kafka_append_to_stored_seconds{quantile="${q}"}`) ?? Number.NaN) * 1000, 1);
  const observations = metricTotal(latencySample, 'warden_kafka_append_to_stored_seconds_count');
  const loadOnlyMeanMs =
    ((metricTotal(latencySample, 'warden_kafka_append_to_stored_seconds_sum') - warmupSum) / Math.max(1, observations - warmupCount)) * 1000;
  const loadStoredCount = metricTotal(latencySample, 'warden_events_stored_total') - warmupRecords.length;
  const method =
    'warden_kafka_append_to_stored_seconds of a restarted Warden (same group and data dir, caught up, baselines restored) ' +
    `whose summary holds only this phase: ${warmupCount} warm-up events (1 per partition) + the events offered at a fixed rate; ` +
    'mean_load_only excludes the warm-up exactly (sum/count difference)';
  // A Warden that falls behind the offered load has no steady-state latency: its backlog grows.
  const latency = loadStored.reached
    ? {
        p50: quantileMs('0.5'),
        p90: quantileMs('0.9'),
        p99: quantileMs('0.99'),
        mean_load_only: round(loadOnlyMeanMs, 1),
        kept_up: true,
        observations,
        warmup_observations: warmupCount,
        method,
      }
    : {
        p50: null,
        p99: null,
        kept_up: false,
        stored_of_offered: `${loadStoredCount} of ${load.sent} within ${DRAIN_TIMEOUT_MS / 1000} s after the load ended`,
        why_it_matters_on_the_mock:
          `librdkafka's mock returns one produce request per partition per fetch, so a consumer whose fetch cycle is longer than ` +
          `the ${LOAD_TICK_MS} ms between sends falls behind here, where a real broker would hand it the accumulated records at once`,
        p50_of_stored_so_far: quantileMs('0.5'),
        p99_of_stored_so_far: quantileMs('0.99'),
        method,
      };
  progress(
    loadStored.reached
      ? `latency: p50 ${latency.p50} ms, p99 ${latency.p99} ms over ${observations} events (offered ${round(load.eventsPerSecond)} events/s)`
      : `latency: Warden did not keep up: stored ${loadStoredCount} of ${load.sent} offered events within ${DRAIN_TIMEOUT_MS / 1000} s after the load ended`,
  );
  const latencyPeakRss = await peakResidentBytes(latencyWarden.pid);
  await stopWarden(latencyWarden, 'latency');

  // 7. Scoring only, in this process, now that no Warden competes for the CPU.
  progress('in process: parsing every event');
  const parsed = parseAll(history);
  progress(
    `in process: parsed ${parsed.events.length} events at ${round(parsed.eventsPerSecond)} events/s; scoring (a warm-up pass, then ${SCORING_MEASURED_PASSES} measured passes)`,
  );
  // One pass lasts ~1.5 s, where a GC or the JIT moves the figure by ±15%: the median of three
  // measured passes, each from fresh profiles, after one warm-up pass.
  const warmupPass = scoringPass(parsed.events);
  const measuredPasses = Array.from({ length: SCORING_MEASURED_PASSES }, () => scoringPass(parsed.events));
  const measuredPass = [...measuredPasses].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[
    Math.floor(SCORING_MEASURED_PASSES / 2)
  ] as (typeof measuredPasses)[number];
  const profileBytes = profileJsonBytes(measuredPass.profiles);
  progress(
    `in process: scoring ${round(measuredPass.eventsPerSecond)} events/s (median of ${measuredPasses.map((pass) => round(pass.eventsPerSecond)).join(', ')}; warm-up pass ${round(warmupPass.eventsPerSecond)})`,
  );
  // The same with the learned model (models/default) batched as the pipeline runs it.
  const model = await loadNamedModel('default', 'the bench model', ' (npm run bench measures scoring with models/default)');
  scoringPass(parsed.events, model);
  const modelPasses = Array.from({ length: SCORING_MEASURED_PASSES }, () => scoringPass(parsed.events, model));
  model.dispose();
  const modelPassRates = modelPasses.map((pass) => pass.eventsPerSecond).sort((a, b) => a - b);
  const scoringWithModel = modelPassRates[Math.floor(SCORING_MEASURED_PASSES / 2)] as number;
  progress(
    `in process: scoring with the learned model batched ${round(scoringWithModel)} events/s (median of ${modelPassRates.map((rate) => round(rate)).join(', ')})`,
  );

  // 6. State per agent: the newest checkpoint of every agent, read once Warden has let go of chDB.
  progress('reading checkpoints from the embedded ClickHouse');
  const clickhouse = await embeddedClickHouse(dataDir);
  let stateBytes: number;
  let stateBytesMax: number;
  let baselineAgents: number;
  let storedHistory: number;
  let duplicateRows: number;
  let storageFloor: StorageFloor;
  try {
    stateBytes = await scalar(clickhouse, 'SELECT avg(length(state)) FROM warden.baselines FINAL');
    stateBytesMax = await scalar(clickhouse, 'SELECT max(length(state)) FROM warden.baselines FINAL');
    baselineAgents = await scalar(clickhouse, 'SELECT count() FROM warden.baselines FINAL');
    storedHistory = await scalar(clickhouse, "SELECT count() FROM warden.events WHERE position(event_id, '-live-') = 0 AND position(event_id, '-warmup-') = 0");
    duplicateRows = await scalar(clickhouse, 'SELECT count() - uniqExact(event_id) FROM warden.events');
    // 8. Storing alone, now that nothing else runs, in inserts of WARDEN_BATCH_MAX_ROWS (the largest
    // Warden starts at once; larger inserts cost less per row, so the floor errs low). The runs'
    // parts are merged first, so the merges counted are those the floor's own inserts cause.
    await clickhouse.command({ query: 'OPTIMIZE TABLE warden.events FINAL' });
    const rowsPerInsert = Number(tuning.WARDEN_BATCH_MAX_ROWS ?? WARDEN_DEFAULTS.WARDEN_BATCH_MAX_ROWS);
    progress(`storage floor: Warden's rows for the ${parsed.events.length} events, inserted ${rowsPerInsert} at a time by its StoreWriter`);
    storageFloor = await measureStorageFloor({ client: clickhouse, database: 'warden', mode: 'embedded', dataPath: dataDir }, parsed.events, rowsPerInsert);
    progress(`storage floor: ${round(storageFloor.rowsPerSecond)} rows/s, ${storageFloor.cpuMicrosPerRow.toFixed(1)} µs of CPU per row (all threads)`);
  } finally {
    await clickhouse.close();
  }
  if (storedHistory !== history.length) throw new Error(`the events table holds ${storedHistory} of the ${history.length} history events`);
  if (duplicateRows !== 0) throw new Error(`the events table holds ${duplicateRows} duplicate rows`);
  if (baselineAgents !== AGENTS) throw new Error(`the baselines table holds ${baselineAgents} agents, expected ${AGENTS}`);

  const peakRss = Math.max(e2ePeakRss, latencyPeakRss);
  const e2eVsBare = e2eRate / bare.eventsPerSecond;
  const ceiling = throughputCeiling(
    bare.cpuMicrosPerEvent,
    storageFloor.cpuMicrosPerRow,
    1e6 / parsed.eventsPerSecond + 1e6 / scoringWithModel,
    bare.eventsPerSecond,
    e2eRate,
  );
  progress(
    `ceiling with all ${ceiling.cores} cores busy: reading + storing alone ${ceiling.read_and_store_events_per_s} events/s (${ceiling.read_and_store_vs_bare} × bare); ` +
      `with Warden's parsing and scoring ${ceiling.with_warden_work_events_per_s} events/s (${ceiling.with_warden_work_vs_bare} × bare)`,
  );
  return {
    e2e_events_per_s: round(e2eRate),
    bare_consumer_events_per_s: round(bare.eventsPerSecond),
    e2e_vs_bare: round(e2eVsBare, 3),
    scoring_events_per_s: round(measuredPass.eventsPerSecond),
    scoring_with_model_events_per_s: round(scoringWithModel),
    latency_ms: latency,
    peak_rss_mb: round(peakRss / 1_048_576, 1),
    state_bytes_per_agent: round(stateBytes),
    targets_met: {
      e2e_at_least_20000_events_per_s: e2eRate >= 20_000,
      e2e_at_least_half_of_bare: e2eVsBare >= 0.5,
      scoring_at_least_150000_events_per_s: measuredPass.eventsPerSecond >= 150_000,
      scoring_with_model_at_least_150000_events_per_s: scoringWithModel >= 150_000,
      state_at_most_4096_bytes_per_agent: stateBytes <= 4_096,
    },
    events: history.length,
    agents: AGENTS,
    partitions: PARTITIONS,
    average_event_bytes: round(averageEventBytes),
    offered_load_events_per_s: LOAD_RATE,
    offered_load_achieved_events_per_s: round(load.eventsPerSecond),
    offered_load_seconds: LOAD_SECONDS,
    offered_load_send_interval_ms: LOAD_TICK_MS,
    offered_load_slowest_send_ms: round(load.slowestSendMs, 1),
    bare_consumer_partitions_concurrently: partitionsConcurrency,
    bare_consumer_cpu_us_per_event: round(bare.cpuMicrosPerEvent, 2),
    storage_floor: {
      rows: storageFloor.rows,
      rows_per_insert: storageFloor.rowsPerInsert,
      rows_per_s: round(storageFloor.rowsPerSecond),
      cpu_us_per_row: round(storageFloor.cpuMicrosPerRow, 2),
    },
    ceiling,
    e2e: e2eBreakdown,
    peak_rss_mb_by_run: { end_to_end: round(e2ePeakRss / 1_048_576, 1), latency: round(latencyPeakRss / 1_048_576, 1) },
    state_bytes_max: stateBytesMax,
    profile_json_bytes_per_agent: round(profileBytes.average),
    profile_json_bytes_max: profileBytes.max,
    parse_events_per_s: round(parsed.eventsPerSecond),
    scoring_passes_events_per_s: measuredPasses.map((pass) => round(pass.eventsPerSecond)),
    scoring_warmup_pass_events_per_s: round(warmupPass.eventsPerSecond),
    scoring_flagged_events: measuredPass.flaggedEvents,
    produce_events_per_s: round(history.length / produceSeconds),
    produce_request_events: produceChunk,
    warden_settings: tuning,
    node_version: process.version,
    cpu_count: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    bench_seconds: round((performance.now() - benchStartedMs) / 1000, 1),
  };
}

/**
 * The fastest end to end this machine allows, from CPU per event: every core busy, nothing
 * waiting, nothing else running — reading (the bare consumer's CPU per event) plus storing (the
 * storage floor's), then also Warden's parsing and scoring (in-process rates). An upper bound:
 * the real pipeline's JavaScript runs on one thread of the two. With the measured end to end's
 * share of the second figure.
 */
function throughputCeiling(readMicros: number, storeMicros: number, wardenWorkMicros: number, bareEventsPerSecond: number, e2eEventsPerSecond: number) {
  const cores = cpus().length;
  const readAndStore = (cores * 1e6) / (readMicros + storeMicros);
  const withWardenWork = (cores * 1e6) / (readMicros + storeMicros + wardenWorkMicros);
  return {
    cores,
    read_and_store_events_per_s: round(readAndStore),
    read_and_store_vs_bare: round(readAndStore / bareEventsPerSecond, 3),
    with_warden_work_events_per_s: round(withWardenWork),
    with_warden_work_vs_bare: round(withWardenWork / bareEventsPerSecond, 3),
    parse_and_score_cpu_us_per_event: round(wardenWorkMicros, 2),
    e2e_vs_with_warden_work: round(e2eEventsPerSecond / withWardenWork, 3),
    method:
      'cores × 10^6 / (µs of CPU per event: bare consumer + storage floor [+ parsing + scoring with the model, in process]); ' +
      'every core busy and nothing waiting, so no pipeline on this machine can exceed it',
  };
}

let cleaning: Promise<void> | undefined;

/** Undoes everything started so far, newest first; one run however many callers ask. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, run: undo } of cleanups.splice(0).reverse()) {
      await Promise.race([undo(), sleep(65_000).then(() => Promise.reject(new Error('timed out')))]).catch((error: unknown) => {
        process.stderr.write(`[bench] cleanup of ${what} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
  })();
  return cleaning;
}

async function main(): Promise<number> {
  // Set when the run is cut short from outside; the run's own failure that follows is not the reason.
  let abortedWith: number | undefined;
  const abort = (exitCode: number, reason: string) => {
    if (abortedWith !== undefined) return;
    abortedWith = exitCode;
    process.stderr.write(`bench: failed: ${reason}\n`);
    void cleanUp().finally(() => process.exit(exitCode));
  };
  const deadline = setTimeout(() => abort(1, `did not finish within ${OVERALL_DEADLINE_MS / 60_000} minutes`), OVERALL_DEADLINE_MS);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: a terminal's Ctrl-C reaches `warden bench` and this script alike, and a
    // second signal must not cut the cleanup short.
    process.on(signal, () => abort(130, `interrupted by ${signal}`));
  }
  try {
    const result = await run();
    await cleanUp();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    await cleanUp();
    if (abortedWith !== undefined) return abortedWith;
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: failed: ${reason.replace(/\s+/g, ' ')}\n`);
    return 1;
  } finally {
    clearTimeout(deadline);
  }
}

// Explicit exit: kafkajs and chDB may keep handles open after their clients closed.
main().then(
  (code) => process.exit(code),
  () => process.exit(1),
);
