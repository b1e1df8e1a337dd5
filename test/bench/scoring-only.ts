// `npm run bench:scoring`: the in-process stages of `npm run bench` alone — parse and score the
// same 200,000-event fleet without Kafka or ClickHouse — for quick before/after comparisons while
// working on detectors. Prints one JSON line; the full bench remains the figure of record.
import { loadNamedModel } from '../../src/learn/load-named-model.js';
import { createFleet, historyRecords } from './bench-fleet.js';
import { parseAll, profileJsonBytes, scoringPass } from './in-process-stages.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const fleet = createFleet(Number(process.env.BENCH_AGENTS ?? 1_000), 20_261_124);
const records = historyRecords(fleet, { total: EVENTS, endMs: Date.now() - 10 * 60_000, spanMs: 3 * 24 * 3_600_000, minPerAgent: 60, idPrefix: 'evt' });
const parsed = parseAll(records);
scoringPass(parsed.events); // warm-up
const passes = [1, 2, 3].map(() => scoringPass(parsed.events));
const rates = passes.map((pass) => Math.round(pass.eventsPerSecond)).sort((a, b) => a - b);
const state = profileJsonBytes(passes[0]!.profiles);
const model = await loadNamedModel('default', 'bench model');
scoringPass(parsed.events, model); // warm-up
const modelRates = [1, 2, 3].map(() => Math.round(scoringPass(parsed.events, model).eventsPerSecond)).sort((a, b) => a - b);
model.dispose();
console.log(
  JSON.stringify({
    parse_events_per_s: Math.round(parsed.eventsPerSecond),
    scoring_events_per_s: rates[1],
    scoring_passes: rates,
    scoring_with_model_events_per_s: modelRates[1],
    scoring_with_model_passes: modelRates,
    state_bytes_per_agent: { average: Math.round(state.average), max: state.max },
    flagged_events: passes[0]!.flaggedEvents,
  }),
);
