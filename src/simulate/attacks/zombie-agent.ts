// Zombie agent: an agent that went quiet — decommissioned, its credentials never revoked — acts
// again after ten days or more of silence: ordinary sessions with a freshly refreshed token, half
// the time from a host it never used. Its benign traffic stops at the silence and never resumes.
// Before the silence the agent works long enough to be expected to start HISTORY_SESSIONS
// sessions: an agent whose first call in the stream is its return is a new agent to any detector,
// not a zombie (an office agent in a span starting on a Sunday used to fall silent before its
// first Monday).
import { type AgentProfile, DAY_MS, HOUR_MS, sessionsPerHour } from '../agent-profile.js';
import { LONGEST_SESSION_MS } from '../sessions.js';
import { type AttackGenerator, Episode, latestStart } from './attack.js';

const SILENCE_MS = 10 * DAY_MS;
const HISTORY_MS = DAY_MS;
/** Expected sessions before the silence (Poisson: fewer than 3 about 1 time in 70). */
export const HISTORY_SESSIONS = 8;

export const zombieAgent: AttackGenerator = {
  kind: 'zombie_agent',
  shape: 'after some days of normal work, ≥10 days without a single event, then 5–60 ordinary calls (half the time from a host it never used)',
  longestMs: 3 * HOUR_MS,
  earliestAfterStartMs: HISTORY_MS + SILENCE_MS + HOUR_MS,
  exclusive: true,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const spanStartMs = setting.fleet.startMs;
    const latestMs = latestStart(setting, this);
    // Benign sessions start before silentFromMs − LONGEST_SESSION_MS (fleet.ts); a span too short for
    // the whole history keeps what fits.
    const silentLowMs = Math.min(Math.max(spanStartMs + HISTORY_MS, historyEndMs(agent, spanStartMs, latestMs) + LONGEST_SESSION_MS), latestMs - SILENCE_MS);
    const earliest = Math.max(setting.earliestMs, spanStartMs + (this.earliestAfterStartMs ?? 0), silentLowMs + SILENCE_MS);
    let timeMs = Math.round(random.between(earliest, latestMs));
    const silentFromMs = Math.round(random.between(silentLowMs, timeMs - SILENCE_MS));
    const [a, b, c] = agent.subnet.split('.').map(Number) as [number, number, number];
    const ip = random.chance(0.5) ? undefined : `${a}.${b}.${(c + random.int(2, 40)) % 256}.${random.int(4, 250)}`;
    const target = random.int(5, 60);
    for (let session = 0; session < 6 && episode.events.length < target; session += 1) {
      timeMs = episode.session(timeMs, { ip }) + Math.round(random.exponential(10 * 60_000));
    }
    const events = episode.events.slice(0, Math.max(target, 5)).filter((event) => event.timeMs < setting.endMs);
    return { events, silentFromMs };
  },
};

/** When the agent is expected to have started HISTORY_SESSIONS sessions since `fromMs` (its rhythm, hour by hour); `untilMs` at most. */
function historyEndMs(agent: AgentProfile, fromMs: number, untilMs: number): number {
  let expectedSessions = 0;
  for (let hourMs = fromMs; hourMs < untilMs; hourMs += HOUR_MS) {
    expectedSessions += sessionsPerHour(agent, hourMs);
    if (expectedSessions >= HISTORY_SESSIONS) return hourMs + HOUR_MS;
  }
  return untilMs;
}
