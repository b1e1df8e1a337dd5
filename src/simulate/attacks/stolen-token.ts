// Stolen token: the agent's current access token replayed by someone else — from an address on a
// hosting network the agent never used, with a generic HTTP client, calling the API directly (no
// agent session or task), reading and listing fast until the token expires, sometimes leaking.
import { HOUR_MS, MINUTE_MS } from '../agent-profile.js';
import { type AttackGenerator, Episode, attackerAddress, attackerUserAgent, externalDestination, gapMs, latestStart } from './attack.js';

export const stolenToken: AttackGenerator = {
  kind: 'stolen_token',
  shape: "the agent's live token replayed from a new hosting-network address and client, no session or task, fast reads until it expires",
  longestMs: 2 * HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    let timeMs = Math.round(random.between(setting.earliestMs, latestStart(setting, this)));
    let grant = episode.state.tokenAt(timeMs);
    // Too close to expiry to be worth replaying: the thief uses the next token instead.
    if (grant.expiresMs - timeMs < 10 * MINUTE_MS) {
      timeMs = grant.issuedMs + agent.tokenTtlMs + 30_000;
      grant = episode.state.tokenAt(timeMs);
    }
    const context = episode.normalContext(timeMs);
    context.ip = attackerAddress(random);
    context.userAgent = attackerUserAgent(random);
    context.sessionId = undefined;
    context.task = undefined;
    context.tokenOverride = grant;

    const { reads, enumerate, exfil, escalation } = agent.archetype.attack;
    const ownActions = Object.keys(agent.archetype.actions);
    const calls = random.int(5, 80);
    const stopMs = Math.min(grant.expiresMs, setting.endMs) - 1_000;
    for (let i = 0; i < calls && timeMs < stopMs; i += 1) {
      context.traceId = random.hex(32); // the gateway traces each direct call on its own
      const draw = random.float();
      if (draw < 0.55) episode.own(context, timeMs, random.pick(reads), { unfamiliarResource: random.chance(0.5), bytesFactor: random.between(1, 3) });
      else if (draw < 0.75) episode.any(context, timeMs, enumerate.action, 'success');
      else if (draw < 0.9) episode.own(context, timeMs, random.pick(ownActions));
      else episode.any(context, timeMs, random.pick(escalation), 'denied');
      timeMs += gapMs(random, 2_500, 0.9);
    }
    if (random.chance(0.4) && timeMs < stopMs) {
      context.traceId = random.hex(32);
      const bytes = Math.round(random.logNormal(8_000_000, 0.8));
      episode.other(context, timeMs, {
        action: exfil.action,
        resourceType: exfil.resourceType,
        resourceId: externalDestination(random, exfil.destination),
        outcome: 'success',
        bytes,
        records: random.int(20, 500),
      });
    }
    return { events: episode.events };
  },
};
