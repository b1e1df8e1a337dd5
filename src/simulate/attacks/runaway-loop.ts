// Runaway loop: the agent repeats one call on one resource at 20–100 times its usual pace (a tool
// result it keeps misreading, a retry without backoff), until rate limiting starts failing it.
import { HOUR_MS } from '../agent-profile.js';
import { sizeOf } from '../sessions.js';
import { type AttackGenerator, Episode, busyInstant, gapMs, latestStart } from './attack.js';

export const runawayLoop: AttackGenerator = {
  kind: 'runaway_loop',
  shape: 'the same action on the same resource 80–200 times at 20–100× the usual pace, rate-limit failures towards the end',
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const archetype = agent.archetype;
    let timeMs = busyInstant(agent, random, setting.earliestMs, latestStart(setting, this));
    const context = episode.normalContext(timeMs);
    const candidates = (context.task?.declaredActions ?? []).filter((action) => episode.isOwnAction(action));
    const action = candidates.length > 0 ? random.pick(candidates) : (Object.keys(archetype.actions)[0] as string);
    const spec = archetype.actions[action];
    if (!spec) throw new Error(`runaway loop: ${archetype.type} has no action ${action}`);
    const resourceId = setting.fleet.runner.resolveResource(episode.state, random, context, spec, false);
    const speedUp = random.between(20, 100);
    const loopGapMs = Math.max(80, (archetype.thinkSeconds[0] * 1_000) / speedUp);
    const calls = random.int(80, 200);
    for (let i = 0; i < calls; i += 1) {
      const outcome = i > calls * 0.6 && random.chance(0.3) ? 'failure' : 'success';
      const { bytes, records } = sizeOf(random, spec, outcome, agent.bytesScale, 1);
      episode.other(context, timeMs, { action, resourceType: spec.resourceType, resourceId, outcome, bytes, records });
      timeMs += gapMs(random, loopGapMs, 0.25);
    }
    return { events: episode.events };
  },
};
