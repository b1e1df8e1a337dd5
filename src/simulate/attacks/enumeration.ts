// Enumeration: the agent walks a range of resource ids it has no reason to know — sequential or
// strided numbers, a few per second — many of which do not exist (failures), a fan-out far beyond
// its usual working set.
import { HOUR_MS } from '../agent-profile.js';
import type { Outcome } from '../../events/audit-event.js';
import { type AttackGenerator, Episode, busyInstant, gapMs, latestStart } from './attack.js';

export const enumeration: AttackGenerator = {
  kind: 'enumeration',
  shape: 'one lookup/list call over 40–200 distinct sequential ids at several calls a second, ~20 % not found',
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { action, resourceType, prefix, digits } = agent.archetype.attack.enumerate;
    const latest = latestStart(setting, this);
    let timeMs = random.chance(0.5) ? busyInstant(agent, random, setting.earliestMs, latest) : Math.round(random.between(setting.earliestMs, latest));
    const context = episode.normalContext(timeMs);
    const calls = random.int(40, 200);
    const stride = random.pick([1, 1, 1, 7, 13]);
    const first = random.int(1, Math.max(2, 10 ** digits - calls * stride - 1));
    const isList = action.includes('.list') || action.includes('query');
    const notFoundShare = random.between(0.1, 0.3);
    for (let i = 0; i < calls; i += 1) {
      const resourceId = prefix + String(first + i * stride).padStart(digits, '0');
      const draw = random.float();
      const outcome: Outcome = draw < 0.03 ? 'denied' : draw < 0.03 + notFoundShare ? 'failure' : 'success';
      const ok = outcome === 'success';
      episode.other(context, timeMs, {
        action,
        resourceType,
        resourceId,
        outcome,
        bytes: Math.round(ok ? random.logNormal(isList ? 12_000 : 1_800, 0.5) : random.logNormal(250, 0.2)),
        records: ok ? Math.max(1, Math.round(isList ? random.logNormal(25, 0.5) : 1)) : 0,
      });
      timeMs += gapMs(random, 250, 0.5);
    }
    return { events: episode.events };
  },
};
