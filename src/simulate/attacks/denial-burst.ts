// Denial burst: within a few minutes the agent makes 20–200 calls of which 70–95 % are refused or
// fail — admin and consequential actions outside its scopes, its own actions on resources it cannot
// reach — the outside look of probing for access.
import { HOUR_MS } from '../agent-profile.js';
import type { Outcome } from '../../events/audit-event.js';
import { type AttackGenerator, Episode, busyInstant, gapMs, latestStart, strangerUser } from './attack.js';

export const denialBurst: AttackGenerator = {
  kind: 'denial_burst',
  shape: '20–200 calls in minutes, 70–95 % denied or failed: out-of-scope admin actions and own actions on unreachable resources',
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { escalation, sensitiveWrites, exfil } = agent.archetype.attack;
    const forbidden = [...escalation, ...sensitiveWrites, exfil.action].filter((action) => !episode.isOwnAction(action));
    const ownActions = Object.keys(agent.archetype.actions);
    let timeMs = busyInstant(agent, random, setting.earliestMs, latestStart(setting, this));
    const context = episode.normalContext(timeMs);
    const calls = random.int(20, 200);
    const refusedShare = random.between(0.7, 0.95);
    for (let i = 0; i < calls; i += 1) {
      const refused = random.chance(refusedShare);
      const outcome: Outcome = !refused ? 'success' : random.chance(0.75) ? 'denied' : 'failure';
      if (refused && forbidden.length > 0 && random.chance(0.5)) episode.any(context, timeMs, random.pick(forbidden), outcome, strangerUser(agent, random));
      else episode.own(context, timeMs, random.pick(ownActions), { outcome, unfamiliarResource: refused });
      timeMs += gapMs(random, 700, 0.7);
    }
    return { events: episode.events };
  },
};
