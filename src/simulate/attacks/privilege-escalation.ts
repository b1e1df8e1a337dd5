// Privilege escalation: from a normal task, the agent looks up roles and calls admin actions whose
// scopes it has never held (refused), then — in most episodes — obtains a broader token (a new jti
// with admin scopes, off the rotation schedule) and uses it for admin calls that succeed.
import { HOUR_MS, withJson } from '../agent-profile.js';
import { type AttackGenerator, Episode, busyInstant, gapMs, latestStart, strangerUser } from './attack.js';

export const privilegeEscalation: AttackGenerator = {
  kind: 'privilege_escalation',
  shape: 'role lookups and 3–8 admin calls the agent never made (denied), then often a broader off-schedule token and successful admin calls',
  longestMs: HOUR_MS,
  eligible: () => true,
  generate(setting) {
    const episode = new Episode(setting);
    const { random, agent } = setting;
    const { escalation } = agent.archetype.attack;
    const pace = () => gapMs(random, agent.archetype.thinkSeconds[0] * 1_000, 0.7);
    let timeMs = busyInstant(agent, random, setting.earliestMs, latestStart(setting, this));
    const context = episode.normalContext(timeMs);
    const declared = (context.task?.declaredActions ?? []).filter((action) => episode.isOwnAction(action));
    for (let i = random.int(1, 3); i > 0 && declared.length > 0; i -= 1) {
      episode.own(context, timeMs, random.pick(declared));
      timeMs += pace();
    }
    episode.other(context, timeMs, {
      action: 'iam.roles.list',
      resourceType: 'org',
      resourceId: 'org/acme',
      outcome: random.chance(0.5) ? 'success' : 'denied',
      bytes: Math.round(random.logNormal(3_000, 0.4)),
      records: random.int(5, 40),
    });
    timeMs += pace();
    for (let i = random.int(3, 8); i > 0; i -= 1) {
      episode.any(context, timeMs, random.pick(escalation), 'denied', strangerUser(agent, random));
      timeMs += gapMs(random, 1_500, 0.6);
    }
    if (random.chance(0.6)) {
      const current = episode.state.tokenAt(timeMs);
      const issuedMs = Math.floor(timeMs / 1_000) * 1_000;
      context.tokenOverride = withJson({
        id: `jti-${random.hex(16)}`,
        clientId: current.clientId,
        scopes: [...current.scopes, 'iam.admin', 'admin.directory'],
        issuedMs,
        expiresMs: issuedMs + agent.tokenTtlMs,
      });
      timeMs += gapMs(random, 4_000, 0.5);
      for (let i = random.int(2, 10); i > 0; i -= 1) {
        episode.any(context, timeMs, random.pick(escalation), 'success', strangerUser(agent, random));
        timeMs += gapMs(random, 2_000, 0.7);
      }
      if (declared.length > 0) episode.own(context, timeMs, random.pick(declared));
    }
    return { events: episode.events };
  },
};
