// Prompt-injection exfiltration: inside an ordinary task of the agent (its user, address, token,
// session), a read returns content carrying instructions; the agent then reads many documents it
// never touched, fast, and sends what it gathered to an outside recipient in a few large calls
// that its task never declared.
import { HOUR_MS } from '../agent-profile.js';
import { type AttackGenerator, Episode, busyInstant, externalDestination, gapMs, latestStart } from './attack.js';

export const promptInjectionExfil: AttackGenerator = {
  kind: 'prompt_injection_exfil',
  shape: 'inside a normal task: many unfamiliar reads in quick succession, then 1–3 large sends/exports to an outside recipient not in the declared actions',
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { reads, exfil } = agent.archetype.attack;
    let timeMs = busyInstant(agent, random, setting.earliestMs, latestStart(setting, this));
    const context = episode.normalContext(timeMs);
    // The read whose content carries the injected instructions looks like any other.
    episode.own(context, timeMs, reads[0] as string, { outcome: 'success' });
    const harvested = random.int(10, 100);
    let records = 0;
    for (let i = 0; i < harvested; i += 1) {
      timeMs += gapMs(random, 1_200, 0.6);
      episode.own(context, timeMs, random.pick(reads), {
        unfamiliarResource: true,
        outcome: 'success',
        bytesFactor: random.between(1, 3),
        recordsFactor: random.between(1, 4),
      });
      records += 1;
    }
    const destination = externalDestination(random, exfil.destination);
    const sends = random.int(1, 3);
    for (let i = 0; i < sends; i += 1) {
      timeMs += gapMs(random, 3_000, 0.5);
      const bytes = Math.round(random.logNormal(20_000_000 / sends, 0.6));
      episode.other(context, timeMs, { action: exfil.action, resourceType: exfil.resourceType, resourceId: destination, outcome: 'success', bytes, records });
    }
    return { events: episode.events };
  },
};
