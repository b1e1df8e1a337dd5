// Low-and-slow exfiltration: over three to five days, during the agent's normal hours and from its
// normal context, a few extra sessions a day whose reads move 1.8–3.5× the usual bytes, and most
// days one modest upload to the same outside destination. Nothing in any single event is extreme.
import { DAY_MS } from '../agent-profile.js';
import type { CallContext } from '../event-builder.js';
import { type AttackGenerator, Episode, busyInstant, externalDestination, gapMs } from './attack.js';

export const lowAndSlowExfil: AttackGenerator = {
  kind: 'low_and_slow_exfil',
  shape: '3–5 days of a few extra sessions at normal hours with reads at 1.8–3.5× usual bytes, most days one modest upload to the same outside place',
  longestMs: DAY_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { reads, exfil } = agent.archetype.attack;
    const room = (setting.endMs - setting.earliestMs) / DAY_MS;
    const days = Math.max(1, Math.min(random.int(3, 5), Math.floor(room)));
    const firstDayMs = Math.round(random.between(setting.earliestMs, Math.max(setting.earliestMs, setting.endMs - days * DAY_MS)));
    const destination = externalDestination(random, exfil.destination);
    const spec = agent.archetype.actions[reads[0] as string];
    const typicalBytes = (spec?.bytes[0] ?? 10_000) * agent.bytesScale;
    for (let day = 0; day < days; day += 1) {
      const dayStartMs = firstDayMs + day * DAY_MS;
      let lastMs = dayStartMs;
      let context: CallContext | undefined;
      for (let session = random.int(1, 3); session > 0; session -= 1) {
        let timeMs = busyInstant(agent, random, dayStartMs, Math.min(dayStartMs + DAY_MS, setting.endMs) - 10 * 60_000);
        context = episode.normalContext(timeMs);
        for (let i = random.int(3, 10); i > 0; i -= 1) {
          episode.own(context, timeMs, random.pick(reads), {
            outcome: 'success',
            bytesFactor: random.between(1.8, 3.5),
            recordsFactor: random.between(1.5, 3),
          });
          timeMs += gapMs(random, agent.archetype.thinkSeconds[0] * 1_000, 0.6);
        }
        lastMs = Math.max(lastMs, timeMs);
      }
      if (context && random.chance(0.8) && lastMs < setting.endMs) {
        const bytes = Math.round(random.logNormal(typicalBytes * 3, 0.4));
        episode.other(context, lastMs, {
          action: exfil.action,
          resourceType: exfil.resourceType,
          resourceId: destination,
          outcome: 'success',
          bytes,
          records: random.int(10, 200),
        });
      }
    }
    return { events: episode.events.filter((event) => event.timeMs < setting.endMs).slice(0, 150) };
  },
};
