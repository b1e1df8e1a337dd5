// Off-hours use: the agent's ordinary work — its own workflows, user, address, runtime and token —
// at about 3 a.m. of its local time on a weekend, when an office-hours agent is otherwise idle.
// Only the hour is wrong, which is what makes it subtle.
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../agent-profile.js';
import { type AttackGenerator, Episode, latestStart } from './attack.js';

export const offHours: AttackGenerator = {
  kind: 'off_hours',
  shape: 'normal sessions of an office-hours agent around 03:00 local on a Saturday or Sunday (weekday night if the span has no weekend left)',
  longestMs: 6 * HOUR_MS,
  eligible: (agent) => agent.archetype.rhythm.pattern === 'office',
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const latest = latestStart(setting, this);
    const nights: number[] = [];
    const weekendNights: number[] = [];
    const firstLocalDay = Math.floor((setting.earliestMs + agent.utcOffsetMs) / DAY_MS);
    for (let localDay = firstLocalDay; localDay * DAY_MS - agent.utcOffsetMs < latest + DAY_MS; localDay += 1) {
      const threeAmMs = localDay * DAY_MS - agent.utcOffsetMs + 3 * HOUR_MS;
      if (threeAmMs - HOUR_MS < setting.earliestMs || threeAmMs + HOUR_MS > latest) continue;
      const weekday = (((localDay + 4) % 7) + 7) % 7;
      nights.push(threeAmMs);
      if (weekday === 0 || weekday === 6) weekendNights.push(threeAmMs);
    }
    const night =
      weekendNights.length > 0 ? random.pick(weekendNights) : nights.length > 0 ? random.pick(nights) : Math.round(random.between(setting.earliestMs, latest));
    let timeMs = night + Math.round(random.between(-60, 60) * MINUTE_MS);
    const target = random.int(10, 60);
    for (let session = 0; session < 8 && episode.events.length < target; session += 1) {
      timeMs = episode.session(timeMs) + Math.round(random.exponential(15 * MINUTE_MS));
    }
    return { events: episode.events.slice(0, 60) };
  },
};
