// Confused deputy: the agent is steered into acting for someone it never served — either on behalf
// of a user outside its pool, or for its usual user against another user's resources — reading
// their data and making consequential writes its task never declared.
import { HOUR_MS } from '../agent-profile.js';
import { type AttackGenerator, Episode, busyInstant, gapMs, latestStart, strangerUser } from './attack.js';

export const confusedDeputy: AttackGenerator = {
  kind: 'confused_deputy',
  shape: "reads of a stranger's resources and undeclared consequential writes, on behalf of a user outside the agent's pool (or of its usual user)",
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { reads, sensitiveWrites } = agent.archetype.attack;
    const pace = () => gapMs(random, agent.archetype.thinkSeconds[0] * 1_000, agent.archetype.thinkSeconds[1]);
    let timeMs = busyInstant(agent, random, setting.earliestMs, latestStart(setting, this));
    const victim = strangerUser(agent, random);
    const actsAsVictim = random.chance(0.6);
    const context = episode.normalContext(timeMs, actsAsVictim ? { userId: victim } : {});
    for (let i = random.int(3, 20); i > 0; i -= 1) {
      episode.own(context, timeMs, random.pick(reads), { resourceUserId: victim, unfamiliarResource: random.chance(0.5) });
      timeMs += pace();
    }
    for (let i = random.int(2, 10); i > 0; i -= 1) {
      episode.any(context, timeMs, random.pick(sensitiveWrites), random.chance(0.9) ? 'success' : 'denied', victim);
      timeMs += pace();
    }
    return { events: episode.events };
  },
};
