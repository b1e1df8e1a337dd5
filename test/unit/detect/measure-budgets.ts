// Measures the detect budgets: scoreAndLearn throughput over a fleet of 1,000 agents with a mixed
// workload, and the JSON size of the largest profile. Not a test (timings vary by machine):
//   npx tsx test/unit/detect/measure-budgets.ts
// Budgets: ≥ 300,000 events/s single-threaded; profileToJson(profile).length ≤ 4,096.
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { scoreAndLearn } from '../../../src/detect/score-event.js';
import { type AgentProfile, createProfile, profileToJson } from '../../../src/profile/agent-profile.js';
import { DAY, generateTraffic, mailAssistantSpec, MONDAY_2026_11_02_MS, officeHoursPace, type TrafficSpec } from './fixtures/agent-traffic.js';

const AGENTS = 1000;
const SPAN = 8 * DAY;

/** Four kinds of agent: stable mail assistants, document crawlers, broad API agents, flaky ops bots. */
function fleetSpec(index: number): TrafficSpec {
  const agentId = `agent-${index}`;
  const base = { agentId, seed: index + 1, startMs: MONDAY_2026_11_02_MS, durationMs: SPAN };
  switch (index % 10) {
    case 0:
    case 1:
      return mailAssistantSpec({ ...base, perMinute: officeHoursPace(0.3, 0.02), resource: (_r, i) => ({ type: 'doc', id: `${agentId}/doc-${i}` }) });
    case 2:
    case 3:
      return mailAssistantSpec({
        ...base,
        perMinute: officeHoursPace(0.2, 0.05),
        actions: Array.from({ length: 40 }, (_, a) => [`api.op_${a}`, 1 + (a % 7)] as const),
        resource: (r) => ({ type: 'record', id: `r-${Math.floor(r() * 200)}` }),
        ips: Array.from({ length: 12 }, (_, i) => `10.9.0.${i}`),
      });
    case 4:
      return mailAssistantSpec({ ...base, perMinute: () => 0.1, failureShare: 0.1, medianBytes: 800, medianRecords: 40 });
    default:
      return mailAssistantSpec({ ...base, perMinute: officeHoursPace(0.25, 0.03) });
  }
}

/** Time-ordered, and round-tripped through JSON so strings and objects look like parsed input. */
function interleave(streams: AuditEvent[][]): AuditEvent[] {
  const ordered = streams.flat().sort((a, b) => a.timeMs - b.timeMs || (a.id < b.id ? -1 : 1));
  return JSON.parse(JSON.stringify(ordered)) as AuditEvent[];
}

/** Wall time and this process's CPU time: on a shared machine the CPU time is the fairer measure. */
function run(events: AuditEvent[], profiles: Map<string, AgentProfile>): { seconds: number; cpuSeconds: number; alerts: number } {
  let alerts = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const event of events) {
    let profile = profiles.get(event.agent.id);
    if (profile === undefined) {
      profile = createProfile(event);
      profiles.set(event.agent.id, profile);
    }
    if (scoreAndLearn(profile, event).risk >= 0.5) alerts++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, alerts };
}

const streams = Array.from({ length: AGENTS }, (_, i) => generateTraffic(fleetSpec(i)));
const learning = interleave(streams);
const profiles = new Map<string, AgentProfile>();
const first = run(learning, profiles);
const rates = (n: number, r: { seconds: number; cpuSeconds: number }) =>
  `${Math.round(n / r.seconds)} events/s wall, ${Math.round(n / r.cpuSeconds)} events/s of CPU time`;
console.log(`${AGENTS} agents, first ${SPAN / DAY} days (profiles created, warm-up included): ${learning.length} events: ${rates(learning.length, first)}`);

// The same traffic again, a span later: every profile warmed up, every detector scoring.
for (const event of learning) event.timeMs += SPAN;
for (let round = 1; round <= 3; round++) {
  const timed = run(learning, profiles);
  console.log(`warm round ${round}: ${learning.length} events: ${rates(learning.length, timed)} (risk ≥ 0.5: ${timed.alerts})`);
  for (const event of learning) event.timeMs += SPAN;
}

let largest = 0;
let largestAgent = '';
for (const [agentId, profile] of profiles) {
  const size = profileToJson(profile).length;
  if (size > largest) [largest, largestAgent] = [size, agentId];
}
console.log(`largest profile JSON: ${largest} bytes (${largestAgent})`);

// One agent, 100k events, a new action on every 50th call (hundreds of distinct actions), a new
// resource and often a new IP on every call: the sketches must stay bounded.
const heavy = generateTraffic(
  mailAssistantSpec({
    agentId: 'agent-heavy-with-a-rather-long-identifier-0001',
    seed: 42,
    durationMs: 14 * DAY,
    perMinute: () => 5,
    actions: [['mail.read', 1]],
    resource: (_r, i) => ({ type: 'document', id: `tenant-0042/folder-${i % 977}/document-${i}` }),
    ips: Array.from({ length: 5000 }, (_, i) => `203.0.${i >> 8}.${i & 255}`),
    medianBytes: 2_500_000_000,
    medianRecords: 90_000,
  }),
).slice(0, 100_000);
heavy.forEach((event, i) => {
  if (i % 50 === 0) event.action = `workflow.custom_action_number_${i}`;
});
const heavyProfile = createProfile(heavy[0] as AuditEvent);
for (const event of heavy) scoreAndLearn(heavyProfile, event);
console.log(
  `100k-event agent with many distinct actions/resources/IPs: profile JSON ${profileToJson(heavyProfile).length} bytes (${heavyProfile.eventsSeen} seen, ${heavyProfile.eventsLearned} learned)`,
);
