// What an attack kind is (a generator of one labelled episode in one agent's stream) and the
// tools episodes are written with. Episodes go through the same session runner and event builder
// as the benign fleet, so they differ from normal traffic only in behaviour, never in form.
import type { Outcome } from '../../events/audit-event.js';
import { type AgentProfile, hourlyShare, orgUserId, peakHourlyShare } from '../agent-profile.js';
import { NAME_WORDS } from '../archetypes.js';
import { type CallContext, type SimulatedEvent, buildEvent } from '../event-builder.js';
import type { Fleet } from '../fleet.js';
import type { Random } from '../random.js';
import { AgentRunState, type CallOptions, type SessionOptions } from '../sessions.js';

export const ATTACK_KINDS = [
  'stolen_token',
  'prompt_injection_exfil',
  'privilege_escalation',
  'enumeration',
  'runaway_loop',
  'off_hours',
  'zombie_agent',
  'confused_deputy',
  'low_and_slow_exfil',
  'denial_burst',
] as const;

export type AttackKind = (typeof ATTACK_KINDS)[number];

export function isAttackKind(value: string): value is AttackKind {
  return (ATTACK_KINDS as readonly string[]).includes(value);
}

export interface AttackSetting {
  fleet: Fleet;
  agent: AgentProfile;
  random: Random;
  /** No event of the episode before this (the end of the warm-up). */
  earliestMs: number;
  /** Every event of the episode before this (the end of the span). */
  endMs: number;
}

export interface AttackResult {
  events: SimulatedEvent[];
  /** The agent starts no benign session from this instant on (a zombie's long silence). */
  silentFromMs?: number;
}

export interface AttackGenerator {
  kind: AttackKind;
  /** One line on what the episode looks like, for `--help` and the README. */
  shape: string;
  /** The longest an episode lasts: it starts at least this long before the span ends. */
  longestMs: number;
  /** The earliest start counted from the span's start, if the kind needs history first. */
  earliestAfterStartMs?: number;
  /** The kind changes the agent's own traffic (silences it), so the agent hosts no other episode. */
  exclusive?: boolean;
  eligible(agent: AgentProfile): boolean;
  generate(setting: AttackSetting): AttackResult;
}

/** Collects one episode's events, using a stream state of its own (benign working sets stay untouched). */
export class Episode {
  readonly events: SimulatedEvent[] = [];
  readonly state: AgentRunState;

  constructor(readonly setting: AttackSetting) {
    this.state = new AgentRunState(setting.agent);
  }

  get agent(): AgentProfile {
    return this.setting.agent;
  }

  get random(): Random {
    return this.setting.random;
  }

  /** A new session context of the agent (its user, address, runtime) with a task drawn from its workflows. */
  normalContext(timeMs: number, overrides: { userId?: string; ip?: string } = {}): CallContext {
    const context = this.setting.fleet.runner.newContext(this.state, this.random, timeMs, overrides);
    this.setting.fleet.runner.startTask(context, this.random, timeMs);
    return context;
  }

  /** One of the agent's own actions, resolved and sized as the agent's normal calls are. */
  own(context: CallContext, timeMs: number, action: string, options: CallOptions = {}): Outcome {
    const { event, outcome } = this.setting.fleet.runner.call(this.state, this.random, context, timeMs, action, options);
    this.events.push(event);
    return outcome;
  }

  /** A call outside the agent's vocabulary, or one whose target and size the attack dictates. */
  other(
    context: CallContext,
    timeMs: number,
    call: { action: string; resourceType: string; resourceId: string; outcome: Outcome; bytes: number; records: number },
  ): void {
    const token = context.tokenOverride ?? this.state.tokenAt(timeMs);
    this.events.push(buildEvent(this.random, context, token, { timeMs, ...call }));
  }

  /** Any action: the agent's own ones as usual, others against a plausible target with a small body. */
  any(context: CallContext, timeMs: number, action: string, outcome: Outcome, targetUserId?: string): void {
    if (this.agent.archetype.actions[action]) {
      this.own(context, timeMs, action, { outcome, resourceUserId: targetUserId, unfamiliarResource: true });
      return;
    }
    const target = foreignTarget(this.random, action, targetUserId ?? context.userId);
    const bytes = outcome === 'success' ? Math.round(this.random.logNormal(1_200, 0.5)) : Math.round(this.random.logNormal(200, 0.2));
    this.other(context, timeMs, { action, ...target, outcome, bytes, records: outcome === 'success' ? 1 : 0 });
  }

  /** A whole normal session (off-hours use, a zombie's return); returns when its last call was made. */
  session(startMs: number, options: SessionOptions = {}): number {
    return this.setting.fleet.runner.runSession(this.state, this.random, startMs, (event) => this.events.push(event), options);
  }

  isOwnAction(action: string): boolean {
    return this.agent.archetype.actions[action] !== undefined;
  }
}

/** A start time in [fromMs, toMs) weighted by how busy the agent usually is then (attacks hiding in normal work). */
export function busyInstant(agent: AgentProfile, random: Random, fromMs: number, toMs: number): number {
  const peak = peakHourlyShare(agent);
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const timeMs = Math.round(random.between(fromMs, toMs));
    if (random.chance(hourlyShare(agent, timeMs) / peak)) return timeMs;
  }
  return Math.round(random.between(fromMs, toMs));
}

export function gapMs(random: Random, medianMs: number, sigma: number): number {
  return Math.max(20, Math.round(random.logNormal(medianMs, sigma)));
}

export function latestStart(setting: AttackSetting, generator: { longestMs: number }): number {
  return setting.endMs - generator.longestMs;
}

const HOSTING_NETWORKS = ['185.220.101', '45.155.205', '91.219.236', '103.251.167', '146.70.38', '194.26.29', '5.188.62', '179.43.128'];
const ATTACKER_USER_AGENTS = [
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Go-http-client/2.0',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
];
const DROP_MAIL_DOMAINS = ['mailbox-relay.example', 'freemail-box.example', 'tmpinbox.example', 'securedrop-mail.example'];
const DROP_HOSTS = ['paste-share.example', 'files-transfer.example', 'cdn-upload.example', 'sync-drive.example'];

/** An address on a hosting provider's network the fleet never uses (a new /24, a new ASN). */
export function attackerAddress(random: Random): string {
  return `${random.pick(HOSTING_NETWORKS)}.${random.int(2, 254)}`;
}

export function attackerUserAgent(random: Random): string {
  return random.pick(ATTACKER_USER_AGENTS);
}

/** Where leaked data goes: an outside mailbox, an upload URL or a foreign bucket. */
export function externalDestination(random: Random, destination: 'email' | 'url' | 'bucket'): string {
  switch (destination) {
    case 'email':
      return `${random.pick(NAME_WORDS)}.${random.base36(5)}@${random.pick(DROP_MAIL_DOMAINS)}`;
    case 'url':
      return `https://${random.pick(DROP_HOSTS)}/u/${random.base36(12)}`;
    case 'bucket':
      return `s3://${random.pick(NAME_WORDS)}-${random.base36(8)}/dump/${random.hex(8)}`;
  }
}

/** A user of the organisation the agent has never acted for. */
export function strangerUser(agent: AgentProfile, random: Random): string {
  const known = new Set(agent.users.map((user) => user.value));
  let user = orgUserId(random);
  while (known.has(user)) user = orgUserId(random);
  return user;
}

/** A plausible target for an action outside the agent's vocabulary, by what the action's name says. */
function foreignTarget(random: Random, action: string, userId: string): { resourceType: string; resourceId: string } {
  if (/roles|permissions\.grant|grants/.test(action))
    return { resourceType: 'role-binding', resourceId: `org/acme/roles/${random.pick(['owner', 'admin', 'billing-admin', 'security-admin'])}` };
  if (/keys|secrets|kms/.test(action))
    return { resourceType: 'secret', resourceId: `projects/acme-prod/secrets/${random.pick(NAME_WORDS)}-${random.pick(NAME_WORDS)}` };
  if (/payouts|bank_accounts/.test(action)) return { resourceType: 'payout-account', resourceId: `ba_${random.base36(14)}` };
  if (/filters|delegates/.test(action)) return { resourceType: 'mailbox-setting', resourceId: `${userId}/settings/${random.hex(8)}` };
  if (/acl|permissions\.create/.test(action)) return { resourceType: 'share', resourceId: `${userId}/shares/${random.hex(10)}` };
  if (/protection|merge/.test(action))
    return { resourceType: 'branch', resourceId: `acme/${random.pick(NAME_WORDS)}-${random.pick(NAME_WORDS)}/branches/main` };
  if (/users|members|agents/.test(action)) return { resourceType: 'user', resourceId: userId };
  const family = action.split('.')[0] as string;
  return { resourceType: family, resourceId: `${family}-${random.hex(10)}` };
}
