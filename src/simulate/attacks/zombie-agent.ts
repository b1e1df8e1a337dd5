// Zombie agent: an agent that went quiet — decommissioned, its credentials never revoked — acts
// again after ten days or more of silence: ordinary sessions with a freshly refreshed token, half
// the time from a host it never used. Its benign traffic stops at the silence and never resumes.
import { DAY_MS, HOUR_MS } from '../agent-profile.js';
import { type AttackGenerator, Episode, latestStart } from './attack.js';

const SILENCE_MS = 10 * DAY_MS;
const HISTORY_MS = DAY_MS;

export const zombieAgent: AttackGenerator = {
  kind: 'zombie_agent',
  shape: 'after ≥10 days without a single event, 5–60 ordinary calls (half the time from a host it never used)',
  longestMs: 3 * HOUR_MS,
  earliestAfterStartMs: HISTORY_MS + SILENCE_MS + HOUR_MS,
  exclusive: true,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const spanStartMs = setting.fleet.startMs;
    const earliest = Math.max(setting.earliestMs, spanStartMs + (this.earliestAfterStartMs ?? 0));
    let timeMs = Math.round(random.between(earliest, latestStart(setting, this)));
    const silentFromMs = Math.round(random.between(spanStartMs + HISTORY_MS, timeMs - SILENCE_MS));
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
