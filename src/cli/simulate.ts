// `warden simulate`: generates a labelled synthetic fleet (src/simulate) and writes it to an NDJSON
// file, a Kafka topic or a Warden's HTTP ingest, with the labels file beside it. Thin: parse and
// check the flags, call the library, print one JSON summary line (progress goes to stderr).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { WardenError } from '../errors.js';
import { ARCHETYPES } from '../simulate/archetypes.js';
import { ATTACK_GENERATORS, ATTACK_KINDS, type AttackKind, isAttackKind } from '../simulate/attacks/index.js';
import { labelsToNdjson } from '../simulate/labels.js';
import { SIMULATION_DEFAULTS, type SimulationOptions, createSimulation, runSimulation } from '../simulate/simulate.js';
import { openHttpSink } from '../simulate/sinks/http.js';
import { openKafkaSink } from '../simulate/sinks/kafka.js';
import { openNdjsonFile } from '../simulate/sinks/ndjson-file.js';
import type { EventSink } from '../simulate/sinks/sink.js';
import type { Command } from './main.js';

const DEFAULT_TOPIC = 'agent.audit';
/** Runs this big (agents × days) report each finished day on stderr. */
const PROGRESS_FROM_AGENT_DAYS = 500;

const USAGE = `warden simulate [--out events.ndjson] [--labels labels.ndjson]
                [--to-kafka host:port[,host:port...] [--topic ${DEFAULT_TOPIC}]] [--to-http URL --key API_KEY]
                [--seed ${SIMULATION_DEFAULTS.seed}] [--agents ${SIMULATION_DEFAULTS.agents}] [--days ${SIMULATION_DEFAULTS.days}] [--start ${new Date(SIMULATION_DEFAULTS.startMs).toISOString().replace('.000Z', 'Z')}]
                [--warmup-days ${SIMULATION_DEFAULTS.warmupDays}] [--attacks-per-kind ${SIMULATION_DEFAULTS.attacksPerKind}] [--kinds KIND,...] [--rate EVENTS_PER_SECOND]
                [--new-agents ${SIMULATION_DEFAULTS.newAgents}]

  At least one of --out, --to-kafka, --to-http. Events go out in time order (audit event v1, one per
  line / message; Kafka key = agent id). --to-http takes Warden's base URL (http://127.0.0.1:8080)
  or the full /v1/events URL; --key defaults to $WARDEN_API_KEY. --rate paces any destination;
  without it events go as fast as the destination takes them. The same --seed and options give
  byte-identical output. --new-agents N: N of the agents (none hosting an attack) are deployed
  after the warm-up, at least 2 days before the end — benign cold starts. Labels (one line per
  attack episode) are written before the events:
    {"episode_id","kind","agent_id","event_ids":[...],"start","end"}

  archetypes (${ARCHETYPES.length}): ${ARCHETYPES.map((archetype) => archetype.type).join(', ')}

  attack kinds (all by default; none before the end of the warm-up):
${ATTACK_KINDS.map((kind) => `    ${kind.padEnd(23)} ${ATTACK_GENERATORS[kind].shape}`).join('\n')}`;

export const simulateCommand: Command = {
  summary: 'generate a realistic agent fleet with labelled attack episodes (NDJSON + labels, or to Kafka / HTTP)',
  usage: USAGE,
  async run(args) {
    const flags = parseFlags(args);
    const startedMs = performance.now();
    const simulation = createSimulation(flags.options);
    if (flags.labelsPath) await writeLabels(flags.labelsPath, labelsToNdjson(simulation.labels));

    const sinks: EventSink[] = [];
    try {
      if (flags.outPath) sinks.push(await openNdjsonFile(flags.outPath));
      if (flags.kafka) sinks.push(await openKafkaSink(flags.kafka));
      if (flags.http) sinks.push(openHttpSink(flags.http));
    } catch (error) {
      for (const sink of sinks) await sink.close().catch(() => undefined);
      throw error;
    }

    const { agents, days } = flags.options;
    const showProgress = agents * days >= PROGRESS_FROM_AGENT_DAYS || flags.ratePerSecond !== undefined;
    const summary = await runSimulation(simulation, {
      sinks,
      ratePerSecond: flags.ratePerSecond,
      onDay: showProgress ? ({ day, events }) => process.stderr.write(`simulate: day ${day}/${days}, ${events.toLocaleString('en-US')} events\n`) : undefined,
    });
    const seconds = (performance.now() - startedMs) / 1000;
    process.stderr.write(
      `simulate: ${summary.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${Math.round(summary.events / seconds).toLocaleString('en-US')} events/s)\n`,
    );
    const rejected = summary.sinks.http?.rejected;
    if (typeof rejected === 'number' && rejected > 0)
      process.stderr.write(`simulate: Warden rejected ${rejected} events; first: ${JSON.stringify(summary.sinks.http?.first_rejections)}\n`);
    console.log(JSON.stringify({ ...summary, labels: flags.labelsPath ?? null }));
  },
};

interface Flags {
  options: SimulationOptions;
  outPath: string | undefined;
  labelsPath: string | undefined;
  kafka: { brokers: string[]; topic: string } | undefined;
  http: { url: string; apiKey: string } | undefined;
  ratePerSecond: number | undefined;
}

function parseFlags(args: string[]): Flags {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        labels: { type: 'string' },
        'to-kafka': { type: 'string' },
        topic: { type: 'string' },
        'to-http': { type: 'string' },
        key: { type: 'string' },
        seed: { type: 'string' },
        agents: { type: 'string' },
        days: { type: 'string' },
        start: { type: 'string' },
        'warmup-days': { type: 'string' },
        'attacks-per-kind': { type: 'string' },
        'new-agents': { type: 'string' },
        kinds: { type: 'string' },
        rate: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new WardenError('USAGE', `${(error as Error).message.split('\n')[0] ?? 'bad arguments'}; try 'warden simulate --help'`);
  }

  const options: SimulationOptions = {
    seed: wholeNumber(values, 'seed', SIMULATION_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    agents: wholeNumber(values, 'agents', SIMULATION_DEFAULTS.agents, 1, 100_000),
    days: wholeNumber(values, 'days', SIMULATION_DEFAULTS.days, 1, 366),
    startMs: startInstant(values.start),
    attacksPerKind: wholeNumber(values, 'attacks-per-kind', SIMULATION_DEFAULTS.attacksPerKind, 0, 1_000),
    kinds: attackKinds(values.kinds),
    warmupDays: wholeNumber(values, 'warmup-days', SIMULATION_DEFAULTS.warmupDays, 0, 365),
    newAgents: wholeNumber(values, 'new-agents', SIMULATION_DEFAULTS.newAgents, 0, 100_000),
  };
  if (options.attacksPerKind > 0 && options.warmupDays >= options.days) {
    throw new WardenError(
      'USAGE',
      `--warmup-days ${options.warmupDays} leaves no time for attacks in --days ${options.days}; lower it, raise --days, or pass --attacks-per-kind 0`,
    );
  }

  const outPath = values.out;
  const labelsPath = values.labels;
  if (outPath !== undefined && outPath === labelsPath) throw new WardenError('USAGE', '--out and --labels must be different files');
  if (values.topic !== undefined && values['to-kafka'] === undefined) throw new WardenError('USAGE', '--topic goes with --to-kafka');
  if (values.key !== undefined && values['to-http'] === undefined) throw new WardenError('USAGE', '--key goes with --to-http');
  const kafka =
    values['to-kafka'] === undefined ? undefined : { brokers: brokerList(values['to-kafka']), topic: nonEmpty(values.topic ?? DEFAULT_TOPIC, '--topic') };
  const http = values['to-http'] === undefined ? undefined : { url: httpUrl(values['to-http']), apiKey: apiKey(values.key) };
  if (!outPath && !kafka && !http)
    throw new WardenError('USAGE', "say where the events go: --out FILE, --to-kafka BROKERS or --to-http URL; try 'warden simulate --help'");

  let ratePerSecond: number | undefined;
  if (values.rate !== undefined) {
    ratePerSecond = Number(values.rate);
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0)
      throw new WardenError('USAGE', `--rate expects a positive number of events per second, got "${values.rate}"`);
  }
  return { options, outPath, labelsPath, kafka, http, ratePerSecond };
}

function wholeNumber(values: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new WardenError('USAGE', `--${name} expects a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function startInstant(raw: string | undefined): number {
  if (raw === undefined) return SIMULATION_DEFAULTS.startMs;
  const value = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(value))
    throw new WardenError('USAGE', `--start expects an ISO 8601 instant such as 2026-11-01T00:00:00Z, got "${raw}"`);
  return value;
}

function attackKinds(raw: string | undefined): AttackKind[] {
  if (raw === undefined) return [...ATTACK_KINDS];
  const kinds = [...new Set(raw.split(',').map((kind) => kind.trim()))].filter((kind) => kind !== '');
  if (kinds.length === 0) throw new WardenError('USAGE', `--kinds expects a comma-separated list of: ${ATTACK_KINDS.join(', ')}`);
  for (const kind of kinds) if (!isAttackKind(kind)) throw new WardenError('USAGE', `unknown attack kind "${kind}"; kinds are: ${ATTACK_KINDS.join(', ')}`);
  return kinds as AttackKind[];
}

function brokerList(raw: string): string[] {
  const brokers = raw
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  const bad = brokers.find((broker) => !/^[^:\s]+:\d{1,5}$/.test(broker));
  if (brokers.length === 0 || bad !== undefined) throw new WardenError('USAGE', `--to-kafka expects host:port[,host:port...], got "${raw}"`);
  return brokers;
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WardenError('USAGE', `--to-http expects a URL such as http://127.0.0.1:8080, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WardenError('USAGE', `--to-http expects an http(s) URL, got "${raw}"`);
  return raw;
}

function apiKey(raw: string | undefined): string {
  const key = raw ?? process.env.WARDEN_API_KEY;
  if (!key) throw new WardenError('USAGE', '--to-http needs an API key with the ingest role: pass --key or set WARDEN_API_KEY');
  return key;
}

function nonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new WardenError('USAGE', `${flag} must not be empty`);
  return value;
}

async function writeLabels(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new WardenError('USAGE', `cannot write --labels ${path}`, { cause: error });
  }
}
