// Measures the detect budgets: scoreAndLearn throughput over a fleet of 1,000 agents with a mixed
// workload, and the JSON size of the largest profile. Not a test (timings vary by machine):
//   npx tsx test/unit/detect/measure-budgets.ts
// Budgets: ≥ 150,000 events/s single-threaded; profileToJson(profile).length ≤ 4,096.
import type { AuditEvent } from '../../../src/events/audit-event.js';
import { scoreAndLearn } from '../../../src/detect/score-event.js';
import { type AgentProfile, createProfile, profileToJson } from '../../../src/profile/agent-profile.js';
import { DAY, generateTraffic, mailAssistantSpec, MONDAY_2026_11_02_MS, officeHoursPace, type TrafficSpec } from './fixtures/agent-traffic.js';
import { heavyAgentEvents } from './fixtures/heavy-agent.js';

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
  return ordered.map((event) => JSON.parse(JSON.stringify(event)) as AuditEvent);
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

/** Moves an event a span later, token times included (a token is issued for the calls that use it). */
function shiftBySpan(event: AuditEvent): void {
  event.timeMs += SPAN;
  const token = event.token;
  if (token?.issued_at !== undefined) token.issued_at = new Date(Date.parse(token.issued_at) + SPAN).toISOString();
  if (token?.expires_at !== undefined) token.expires_at = new Date(Date.parse(token.expires_at) + SPAN).toISOString();
  if (token?.id !== undefined) token.id = `${token.id}+`;
}

// The same traffic again, a span later: every profile warmed up, every detector scoring.
for (const event of learning) shiftBySpan(event);
for (let round = 1; round <= 3; round++) {
  const timed = run(learning, profiles);
  console.log(`warm round ${round}: ${learning.length} events: ${rates(learning.length, timed)} (risk ≥ 0.5: ${timed.alerts})`);
  for (const event of learning) shiftBySpan(event);
}

let largest = 0;
let largestAgent = '';
for (const [agentId, profile] of profiles) {
  const size = profileToJson(profile).length;
  if (size > largest) [largest, largestAgent] = [size, agentId];
}
console.log(`largest profile JSON: ${largest} bytes (${largestAgent})`);

// The heavy agent of the profile-size test (fixtures/heavy-agent.ts): every sketch must stay bounded.
const heavy = heavyAgentEvents();
const heavyProfile = createProfile(heavy[0] as AuditEvent);
for (const event of heavy) scoreAndLearn(heavyProfile, event);
const heavyJson = profileToJson(heavyProfile);
console.log(
  `100k-event agent with many distinct actions/resources/networks/users/tokens: profile JSON ${heavyJson.length} bytes (${heavyProfile.eventsSeen} seen, ${heavyProfile.eventsLearned} learned)`,
);
const slices = JSON.parse(heavyJson).signals as Record<string, unknown>;
console.log(
  `  by signal: ${Object.entries(slices)
    .map(([name, slice]) => `${name} ${JSON.stringify(slice).length}`)
    .join(', ')}`,
);
