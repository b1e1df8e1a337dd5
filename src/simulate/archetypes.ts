// The kinds of agent the simulated fleet is made of, as data: each archetype's tools (actions with
// their resources, sizes and failure rates), workflows (Markov chains of actions within a task),
// rhythm (office hours, around the clock, fixed-time batches), delegating users, credentials and
// the handles attacks use (what it lists, reads, leaks through, and must never call).
import type { Random } from './random.js';

export type IdStyle = 'hex' | 'digits' | 'base36' | 'words' | 'snake' | 'domain';

/** How an action picks the id of the resource it touches. */
export type ResourceIds =
  /** A new id on (almost) every call: messages, tickets, fetched documents. */
  | { kind: 'fresh'; prefix: string; style: IdStyle; length: number; sticky?: boolean }
  /**
   * A per-agent working set picked Zipf-wise (a few favourites, a long tail), growing by
   * `newShare` of calls (legitimate novelty); `child` appends a fresh part (a PR number in a repo).
   */
  | {
      kind: 'pool';
      prefix: string;
      style: IdStyle;
      length: number;
      size: readonly [number, number];
      newShare: number;
      sticky?: boolean;
      child?: { separator: string; style: IdStyle; length: number };
    }
  /** The delegating user's own resource, `<user id><suffix>` (their inbox, their calendar). */
  | { kind: 'user'; suffix: string }
  /** Mail recipients: the agent's known contacts, now and then a new colleague or partner. */
  | { kind: 'recipient' }
  | { kind: 'fixed'; id: string };

export interface ActionSpec {
  resourceType: string;
  ids: ResourceIds;
  /** Bytes moved by a successful call: log-normal median and shape. */
  bytes: readonly [number, number];
  /** Records returned or touched: log-normal median and shape ([1, 0] = exactly one). */
  records: readonly [number, number];
  /** Share of calls that fail (timeouts, 5xx, not found); the archetype's default otherwise. */
  failure?: number;
  /** Share of calls refused by policy; the archetype's default otherwise. */
  denied?: number;
}

/** A task's course: from each action, the next action (or END) by weight. */
export interface Workflow {
  name: string;
  weight: number;
  /** Batch workflows run only at the rhythm's fixed times, for the agent's service principal. */
  batch?: boolean;
  start: string;
  next: Readonly<Record<string, readonly (readonly [string, number])[]>>;
  /** Pause between calls in seconds (log-normal median and shape); the archetype's otherwise. */
  thinkSeconds?: readonly [number, number];
  maxSteps?: number;
}

export interface Rhythm {
  /** `office`: working hours of the agent's time zone; `always`: around the clock with a daily swing. */
  pattern: 'office' | 'always';
  /** Weekend activity relative to a weekday. */
  weekendFactor: number;
  /** For `always`: how much busier the local afternoon is than the night (0 flat, 0.6 = ±60 %). */
  diurnalSwing?: number;
  /** Runs at fixed local times (nightly loads, the daily close). */
  batches?: readonly { hour: number; minute: number; workflow: string; weekdaysOnly?: boolean }[];
}

/** What attacks on this kind of agent look like: where they list, read, leak and escalate. */
export interface AttackSurface {
  /** The call an enumerating agent fans out with, and the shape of the ids it walks. */
  enumerate: { action: string; resourceType: string; prefix: string; digits: number };
  /** Calls that pull data (exfiltration reads). */
  reads: readonly string[];
  /** How data leaves: mail to an outside address, an export to an outside URL, a foreign bucket. */
  exfil: { action: string; resourceType: string; destination: 'email' | 'url' | 'bucket' };
  /** Writes with consequences for someone else (a confused deputy's damage). */
  sensitiveWrites: readonly string[];
  /** Admin calls this agent has no business making (privilege escalation). */
  escalation: readonly string[];
}

export interface Archetype {
  /** `agent.type` in events. */
  type: string;
  /** Agent ids are `agent-<prefix>-<n>`. */
  prefix: string;
  /** Share of the fleet. */
  weight: number;
  owners: readonly string[];
  clientId: string;
  scopes: readonly string[];
  /** Scopes an occasional token carries on top (a consent granted once, a broader client). */
  extraScopes: readonly string[];
  /** `{version}` is replaced by the agent's runtime version, bumped at its deployment. */
  userAgent: string;
  version: readonly [number, number, number];
  tokenTtlMinutes: number;
  /** `internal`: a 10.x /24 of the company network; `cloud`: a few NAT gateway addresses. */
  network: 'internal' | 'cloud';
  /** Fixed UTC offsets in minutes the agents of this kind live in (no DST: the span is short). */
  utcOffsetsMinutes: readonly number[];
  rhythm: Rhythm;
  /** Tasks started on a weekday, per agent (drawn in this range). */
  sessionsPerDay: readonly [number, number];
  /** Mean number of extra tasks in one session. */
  extraTasksPerSession: number;
  thinkSeconds: readonly [number, number];
  users: { pool: readonly [number, number]; joinsPerWeek: number; servicePrincipal?: boolean };
  failure: number;
  denied: number;
  actions: Readonly<Record<string, ActionSpec>>;
  workflows: readonly Workflow[];
  /** Legitimate novelty: after the agent's deployment, `action` sometimes follows `after`. */
  release: { action: string; after: string; share: number };
  attack: AttackSurface;
}

const fresh = (prefix: string, style: IdStyle, length: number, sticky = false): ResourceIds => ({ kind: 'fresh', prefix, style, length, sticky });
const pool = (
  prefix: string,
  style: IdStyle,
  length: number,
  size: readonly [number, number],
  newShare: number,
  extra: { sticky?: boolean; child?: { separator: string; style: IdStyle; length: number } } = {},
): ResourceIds => ({ kind: 'pool', prefix, style, length, size, newShare, ...extra });
const own = (suffix: string): ResourceIds => ({ kind: 'user', suffix });
const fixed = (id: string): ResourceIds => ({ kind: 'fixed', id });
const recipients: ResourceIds = { kind: 'recipient' };

function act(
  resourceType: string,
  ids: ResourceIds,
  bytes: readonly [number, number],
  records: readonly [number, number] = [1, 0],
  rates: { failure?: number; denied?: number } = {},
): ActionSpec {
  return { resourceType, ids, bytes, records, ...rates };
}

const OFFICE_WEST_TO_EAST = [-480, -300, 0, 60] as const;

export const ARCHETYPES: readonly Archetype[] = [
  {
    type: 'email-assistant',
    prefix: 'mail',
    weight: 16,
    owners: ['team-support', 'team-sales', 'team-exec-office'],
    clientId: 'mail-assistant',
    scopes: ['mail.read', 'mail.send', 'mail.modify', 'calendar.read', 'contacts.read'],
    extraScopes: ['drive.read'],
    userAgent: 'mail-assistant/{version} openai-agents-python/0.4.2',
    version: [2, 3, 1],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: OFFICE_WEST_TO_EAST,
    rhythm: { pattern: 'office', weekendFactor: 0.08 },
    sessionsPerDay: [15, 40],
    extraTasksPerSession: 0.6,
    thinkSeconds: [5, 0.8],
    users: { pool: [1, 4], joinsPerWeek: 0.3 },
    failure: 0.008,
    denied: 0.001,
    actions: {
      'mail.list': act('mailbox', own('/inbox'), [6_000, 0.5], [25, 0.4]),
      'mail.search': act('mailbox', own('/all'), [9_000, 0.7], [12, 0.9]),
      'mail.read': act('message', fresh('msg-', 'hex', 16), [14_000, 1.1]),
      'mail.labels.modify': act('message', fresh('msg-', 'hex', 16), [400, 0.3]),
      'mail.draft.create': act('draft', fresh('r-', 'digits', 19, true), [3_000, 0.6]),
      'mail.send': act('recipient', recipients, [5_000, 1.0], [1, 0.3]),
      'calendar.events.list': act('calendar', own('/primary'), [4_000, 0.5], [8, 0.5]),
      'contacts.read': act('contact', pool('c-', 'hex', 10, [30, 120], 0.02), [900, 0.3]),
      'mail.threads.get': act('thread', fresh('thr-', 'hex', 16), [22_000, 1.0], [4, 0.6]),
    },
    workflows: [
      {
        name: 'triage-inbox',
        weight: 5,
        start: 'mail.list',
        next: {
          'mail.list': [
            ['mail.read', 8],
            ['END', 1],
          ],
          'mail.read': [
            ['mail.read', 5],
            ['mail.labels.modify', 2],
            ['mail.draft.create', 1],
            ['END', 2],
          ],
          'mail.labels.modify': [
            ['mail.read', 3],
            ['END', 2],
          ],
          'mail.draft.create': [
            ['mail.send', 3],
            ['END', 1],
          ],
          'mail.send': [
            ['END', 3],
            ['mail.read', 1],
          ],
        },
      },
      {
        name: 'reply',
        weight: 3,
        start: 'mail.search',
        next: {
          'mail.search': [['mail.read', 5]],
          'mail.read': [
            ['mail.read', 2],
            ['mail.draft.create', 3],
            ['END', 1],
          ],
          'mail.draft.create': [
            ['mail.send', 4],
            ['contacts.read', 1],
            ['END', 1],
          ],
          'contacts.read': [['mail.send', 1]],
          'mail.send': [['END', 1]],
        },
      },
      {
        name: 'check-schedule',
        weight: 2,
        start: 'calendar.events.list',
        next: {
          'calendar.events.list': [
            ['mail.search', 1],
            ['END', 2],
          ],
          'mail.search': [
            ['mail.read', 2],
            ['END', 1],
          ],
          'mail.read': [
            ['mail.draft.create', 1],
            ['END', 1],
          ],
          'mail.draft.create': [['mail.send', 1]],
          'mail.send': [['END', 1]],
        },
      },
    ],
    release: { action: 'mail.threads.get', after: 'mail.list', share: 0.3 },
    attack: {
      enumerate: { action: 'contacts.read', resourceType: 'contact', prefix: 'c-', digits: 6 },
      reads: ['mail.read', 'mail.search'],
      exfil: { action: 'mail.send', resourceType: 'recipient', destination: 'email' },
      sensitiveWrites: ['mail.send', 'mail.filters.create'],
      escalation: ['mail.delegates.create', 'admin.directory.users.update', 'iam.roles.grant'],
    },
  },
  {
    type: 'calendar-scheduler',
    prefix: 'cal',
    weight: 8,
    owners: ['team-recruiting', 'team-sales', 'team-exec-office'],
    clientId: 'scheduler',
    scopes: ['calendar.read', 'calendar.write', 'mail.send', 'contacts.read'],
    extraScopes: ['rooms.read'],
    userAgent: 'scheduler-bot/{version} langchain/0.3.7',
    version: [1, 8, 0],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: [-300, 0, 60, 330],
    rhythm: { pattern: 'office', weekendFactor: 0.03 },
    sessionsPerDay: [15, 35],
    extraTasksPerSession: 0.3,
    thinkSeconds: [3, 0.7],
    users: { pool: [3, 12], joinsPerWeek: 0.5 },
    failure: 0.01,
    denied: 0.002,
    actions: {
      'calendar.events.list': act('calendar', own('/primary'), [5_000, 0.5], [10, 0.6]),
      'calendar.freebusy.query': act('calendar', pool('u-', 'digits', 5, [20, 80], 0.03), [1_500, 0.4], [4, 0.5]),
      'calendar.events.insert': act('calendar-event', fresh('ev-', 'base36', 20, true), [2_500, 0.4]),
      'calendar.events.patch': act('calendar-event', fresh('ev-', 'base36', 20, true), [1_800, 0.4]),
      'calendar.events.delete': act('calendar-event', fresh('ev-', 'base36', 20, true), [300, 0.2]),
      'mail.send': act('recipient', recipients, [2_200, 0.4]),
      'contacts.read': act('contact', pool('c-', 'hex', 10, [40, 150], 0.03), [900, 0.3]),
      'rooms.list': act('building', pool('bldg-', 'words', 1, [2, 5], 0.001), [6_000, 0.3], [30, 0.3]),
    },
    workflows: [
      {
        name: 'book-meeting',
        weight: 5,
        start: 'contacts.read',
        next: {
          'contacts.read': [
            ['calendar.freebusy.query', 4],
            ['contacts.read', 1],
          ],
          'calendar.freebusy.query': [
            ['calendar.freebusy.query', 2],
            ['calendar.events.insert', 3],
            ['END', 1],
          ],
          'calendar.events.insert': [
            ['mail.send', 3],
            ['END', 2],
          ],
          'mail.send': [['END', 1]],
        },
      },
      {
        name: 'reschedule',
        weight: 3,
        start: 'calendar.events.list',
        next: {
          'calendar.events.list': [
            ['calendar.events.patch', 3],
            ['calendar.events.delete', 1],
            ['END', 1],
          ],
          'calendar.events.patch': [
            ['mail.send', 2],
            ['END', 2],
          ],
          'calendar.events.delete': [
            ['mail.send', 1],
            ['END', 2],
          ],
          'mail.send': [['END', 1]],
        },
      },
      {
        name: 'daily-agenda',
        weight: 2,
        start: 'calendar.events.list',
        next: {
          'calendar.events.list': [
            ['END', 2],
            ['calendar.freebusy.query', 1],
          ],
          'calendar.freebusy.query': [['END', 1]],
        },
      },
    ],
    release: { action: 'rooms.list', after: 'calendar.freebusy.query', share: 0.25 },
    attack: {
      enumerate: { action: 'calendar.freebusy.query', resourceType: 'calendar', prefix: 'u-', digits: 5 },
      reads: ['calendar.events.list', 'contacts.read'],
      exfil: { action: 'mail.send', resourceType: 'recipient', destination: 'email' },
      sensitiveWrites: ['calendar.events.delete', 'calendar.acl.insert'],
      escalation: ['calendar.acl.insert', 'admin.directory.groups.update', 'iam.roles.grant'],
    },
  },
  {
    type: 'code-review-bot',
    prefix: 'review',
    weight: 10,
    owners: ['team-platform', 'team-devex'],
    clientId: 'review-bot',
    scopes: ['repo.read', 'pulls.write', 'checks.read', 'issues.write'],
    extraScopes: ['actions.read'],
    userAgent: 'review-bot/{version} octokit/3.2.1 node/20.19.0',
    version: [1, 14, 0],
    tokenTtlMinutes: 60,
    network: 'cloud',
    utcOffsetsMinutes: [0, -300, 60],
    rhythm: { pattern: 'always', weekendFactor: 0.25, diurnalSwing: 0.7 },
    sessionsPerDay: [30, 90],
    extraTasksPerSession: 0,
    thinkSeconds: [2, 0.9],
    users: { pool: [10, 45], joinsPerWeek: 1.5 },
    failure: 0.012,
    denied: 0.002,
    actions: {
      'repo.pulls.get': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [8_000, 0.6],
      ),
      'repo.pulls.files.list': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [25_000, 1.0],
        [6, 0.9],
      ),
      'repo.contents.get': act('blob', fresh('', 'hex', 40), [12_000, 1.0]),
      'repo.checks.list': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [3_000, 0.5],
        [5, 0.5],
      ),
      'repo.pulls.comments.create': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [1_200, 0.6],
      ),
      'repo.pulls.reviews.create': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [2_500, 0.6],
      ),
      'repo.issues.comments.create': act('issue', fresh('acme/issues/', 'digits', 4), [1_400, 0.5]),
      'repo.pulls.suggestions.create': act(
        'pull_request',
        pool('acme/', 'words', 2, [8, 40], 0.005, { sticky: true, child: { separator: '/pull/', style: 'digits', length: 4 } }),
        [1_600, 0.5],
      ),
    },
    workflows: [
      {
        name: 'review-pull-request',
        weight: 6,
        start: 'repo.pulls.get',
        next: {
          'repo.pulls.get': [['repo.pulls.files.list', 1]],
          'repo.pulls.files.list': [
            ['repo.contents.get', 3],
            ['repo.checks.list', 1],
            ['repo.pulls.comments.create', 2],
          ],
          'repo.contents.get': [
            ['repo.contents.get', 4],
            ['repo.pulls.comments.create', 2],
            ['repo.pulls.reviews.create', 1],
          ],
          'repo.pulls.comments.create': [
            ['repo.pulls.comments.create', 2],
            ['repo.contents.get', 1],
            ['repo.pulls.reviews.create', 2],
          ],
          'repo.checks.list': [
            ['repo.contents.get', 1],
            ['repo.pulls.reviews.create', 1],
          ],
          'repo.pulls.reviews.create': [['END', 1]],
        },
      },
      {
        name: 're-review',
        weight: 2,
        start: 'repo.pulls.get',
        next: {
          'repo.pulls.get': [
            ['repo.checks.list', 2],
            ['repo.pulls.reviews.create', 1],
          ],
          'repo.checks.list': [
            ['repo.pulls.reviews.create', 2],
            ['repo.issues.comments.create', 1],
          ],
          'repo.issues.comments.create': [['END', 1]],
          'repo.pulls.reviews.create': [['END', 1]],
        },
      },
    ],
    release: { action: 'repo.pulls.suggestions.create', after: 'repo.contents.get', share: 0.15 },
    attack: {
      enumerate: { action: 'repo.contents.get', resourceType: 'repository', prefix: 'acme/svc-', digits: 4 },
      reads: ['repo.contents.get', 'repo.pulls.files.list'],
      exfil: { action: 'gists.create', resourceType: 'gist', destination: 'url' },
      sensitiveWrites: ['repo.pulls.merge', 'repo.branches.protection.delete'],
      escalation: ['repo.admin.update', 'org.members.invite', 'iam.roles.grant'],
    },
  },
  {
    type: 'crm-updater',
    prefix: 'crm',
    weight: 12,
    owners: ['team-sales-ops', 'team-revops'],
    clientId: 'crm-sync',
    scopes: ['crm.read', 'crm.write'],
    extraScopes: ['crm.export'],
    userAgent: 'crm-agent/{version} python-httpx/0.27.2',
    version: [3, 2, 5],
    tokenTtlMinutes: 480,
    network: 'internal',
    utcOffsetsMinutes: OFFICE_WEST_TO_EAST,
    rhythm: { pattern: 'office', weekendFactor: 0.05 },
    sessionsPerDay: [20, 50],
    extraTasksPerSession: 0.5,
    thinkSeconds: [4, 0.8],
    users: { pool: [5, 25], joinsPerWeek: 0.6 },
    failure: 0.01,
    denied: 0.003,
    actions: {
      'crm.accounts.get': act('account', pool('acct-', 'digits', 6, [200, 900], 0.01, { sticky: true }), [3_500, 0.5]),
      'crm.accounts.list': act('account-view', fixed('all-accounts'), [30_000, 0.4], [50, 0.3]),
      'crm.contacts.search': act('account', pool('acct-', 'digits', 6, [200, 900], 0.01, { sticky: true }), [5_000, 0.7], [8, 0.8]),
      'crm.contacts.get': act('contact', pool('cont-', 'digits', 7, [500, 2_000], 0.02), [1_800, 0.4]),
      'crm.contacts.update': act('contact', pool('cont-', 'digits', 7, [500, 2_000], 0.02), [1_200, 0.4]),
      'crm.opportunities.get': act('opportunity', pool('opp-', 'digits', 6, [100, 400], 0.02, { sticky: true }), [2_800, 0.5]),
      'crm.opportunities.update': act('opportunity', pool('opp-', 'digits', 6, [100, 400], 0.02, { sticky: true }), [1_500, 0.4]),
      'crm.notes.create': act('note', fresh('note-', 'hex', 12), [900, 0.6]),
      'crm.tasks.create': act('task', fresh('task-', 'hex', 12), [700, 0.4]),
    },
    workflows: [
      {
        name: 'update-opportunity',
        weight: 4,
        start: 'crm.accounts.get',
        next: {
          'crm.accounts.get': [
            ['crm.opportunities.get', 3],
            ['crm.contacts.search', 1],
          ],
          'crm.opportunities.get': [
            ['crm.opportunities.update', 3],
            ['crm.notes.create', 1],
            ['END', 1],
          ],
          'crm.opportunities.update': [
            ['crm.notes.create', 2],
            ['END', 2],
          ],
          'crm.notes.create': [
            ['END', 3],
            ['crm.contacts.update', 1],
          ],
          'crm.contacts.search': [['crm.contacts.get', 3]],
          'crm.contacts.get': [
            ['crm.contacts.update', 2],
            ['crm.contacts.get', 1],
            ['END', 1],
          ],
          'crm.contacts.update': [
            ['crm.notes.create', 1],
            ['END', 2],
          ],
        },
      },
      {
        name: 'log-call',
        weight: 3,
        start: 'crm.contacts.search',
        next: {
          'crm.contacts.search': [['crm.contacts.get', 1]],
          'crm.contacts.get': [
            ['crm.notes.create', 3],
            ['crm.contacts.update', 1],
          ],
          'crm.contacts.update': [['crm.notes.create', 1]],
          'crm.notes.create': [['END', 1]],
        },
      },
      {
        name: 'pipeline-review',
        weight: 1,
        start: 'crm.accounts.list',
        next: {
          'crm.accounts.list': [['crm.accounts.get', 3]],
          'crm.accounts.get': [
            ['crm.opportunities.get', 3],
            ['END', 1],
          ],
          'crm.opportunities.get': [
            ['crm.accounts.get', 1],
            ['END', 1],
          ],
        },
      },
    ],
    release: { action: 'crm.tasks.create', after: 'crm.notes.create', share: 0.3 },
    attack: {
      enumerate: { action: 'crm.accounts.get', resourceType: 'account', prefix: 'acct-', digits: 6 },
      reads: ['crm.contacts.get', 'crm.accounts.get'],
      exfil: { action: 'crm.reports.export', resourceType: 'export', destination: 'url' },
      sensitiveWrites: ['crm.contacts.update', 'crm.opportunities.update', 'crm.accounts.transfer'],
      escalation: ['crm.permissions.grant', 'crm.admin.users.update', 'iam.roles.grant'],
    },
  },
  {
    type: 'data-pipeline',
    prefix: 'etl',
    weight: 5,
    owners: ['team-data-eng'],
    clientId: 'etl-runner',
    scopes: ['warehouse.read', 'warehouse.write', 'storage.read', 'storage.write'],
    extraScopes: ['warehouse.admin'],
    userAgent: 'airflow-agent/{version} python/3.11.9',
    version: [0, 9, 3],
    tokenTtlMinutes: 720,
    network: 'cloud',
    utcOffsetsMinutes: [0, -300],
    rhythm: {
      pattern: 'always',
      weekendFactor: 0.5,
      diurnalSwing: 0.3,
      batches: [
        { hour: 2, minute: 0, workflow: 'nightly-load' },
        { hour: 14, minute: 30, workflow: 'midday-refresh', weekdaysOnly: true },
      ],
    },
    sessionsPerDay: [4, 12],
    extraTasksPerSession: 0,
    thinkSeconds: [2, 0.8],
    users: { pool: [3, 6], joinsPerWeek: 0.1, servicePrincipal: true },
    failure: 0.006,
    denied: 0.001,
    actions: {
      'pipeline.runs.update': act('pipeline-run', fresh('run-', 'hex', 12, true), [600, 0.3]),
      'storage.objects.get': act('object', fresh('gs://acme-landing/raw/', 'hex', 16), [8_000_000, 1.2], [20_000, 1.0]),
      'storage.objects.put': act('object', fresh('gs://acme-curated/parts/', 'hex', 16), [5_000_000, 1.2], [10_000, 1.0]),
      'warehouse.tables.read': act('table', pool('analytics.', 'snake', 2, [20, 80], 0.005), [2_000_000, 1.3], [5_000, 1.3]),
      'warehouse.tables.write': act('table', pool('analytics.', 'snake', 2, [20, 80], 0.005), [4_000_000, 1.2], [10_000, 1.2]),
      'warehouse.query': act('table', pool('analytics.', 'snake', 2, [20, 80], 0.005), [500_000, 1.5], [800, 1.5]),
      'warehouse.jobs.get': act('job', fresh('job_', 'base36', 20), [700, 0.3]),
      'warehouse.tables.optimize': act('table', pool('analytics.', 'snake', 2, [20, 80], 0.005), [800, 0.3]),
    },
    workflows: [
      {
        name: 'nightly-load',
        weight: 1,
        batch: true,
        start: 'pipeline.runs.update',
        thinkSeconds: [0.4, 0.6],
        maxSteps: 2_000,
        next: {
          'pipeline.runs.update': [['storage.objects.get', 1]],
          'storage.objects.get': [
            ['storage.objects.get', 10],
            ['warehouse.tables.write', 2],
          ],
          'warehouse.tables.write': [
            ['storage.objects.get', 6],
            ['warehouse.query', 1],
            ['storage.objects.put', 1],
            ['END', 0.25],
          ],
          'warehouse.query': [['storage.objects.get', 1]],
          'storage.objects.put': [['storage.objects.get', 1]],
        },
      },
      {
        name: 'midday-refresh',
        weight: 1,
        batch: true,
        start: 'warehouse.query',
        thinkSeconds: [0.6, 0.6],
        maxSteps: 600,
        next: {
          'warehouse.query': [
            ['warehouse.tables.read', 3],
            ['warehouse.tables.write', 1],
            ['END', 0.12],
          ],
          'warehouse.tables.read': [['warehouse.query', 1]],
          'warehouse.tables.write': [['warehouse.query', 1]],
        },
      },
      {
        name: 'ad-hoc-query',
        weight: 2,
        start: 'warehouse.query',
        next: {
          'warehouse.query': [
            ['warehouse.query', 2],
            ['warehouse.tables.read', 1],
            ['END', 2],
          ],
          'warehouse.tables.read': [
            ['END', 1],
            ['warehouse.query', 1],
          ],
        },
      },
      {
        name: 'check-job',
        weight: 1,
        start: 'warehouse.jobs.get',
        next: {
          'warehouse.jobs.get': [
            ['pipeline.runs.update', 1],
            ['warehouse.jobs.get', 1],
            ['END', 2],
          ],
          'pipeline.runs.update': [['END', 1]],
        },
      },
    ],
    release: { action: 'warehouse.tables.optimize', after: 'warehouse.tables.write', share: 0.1 },
    attack: {
      enumerate: { action: 'warehouse.tables.get', resourceType: 'table', prefix: 'finance.t', digits: 4 },
      reads: ['warehouse.tables.read', 'storage.objects.get'],
      exfil: { action: 'storage.objects.put', resourceType: 'object', destination: 'bucket' },
      sensitiveWrites: ['warehouse.tables.delete', 'warehouse.tables.write'],
      escalation: ['warehouse.grants.create', 'iam.serviceAccounts.keys.create', 'iam.roles.grant'],
    },
  },
  {
    type: 'customer-support-agent',
    prefix: 'support',
    weight: 14,
    owners: ['team-support'],
    clientId: 'support-copilot',
    scopes: ['tickets.read', 'tickets.write', 'kb.read', 'customers.read'],
    extraScopes: ['refunds.request'],
    userAgent: 'support-copilot/{version} openai-agents-js/0.1.9 node/20.19.0',
    version: [4, 0, 2],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: [0, -300, 330],
    rhythm: { pattern: 'always', weekendFactor: 0.6, diurnalSwing: 0.5 },
    sessionsPerDay: [40, 100],
    extraTasksPerSession: 0.2,
    thinkSeconds: [4, 0.8],
    users: { pool: [15, 60], joinsPerWeek: 2 },
    failure: 0.01,
    denied: 0.002,
    actions: {
      'tickets.get': act('ticket', fresh('TCK-', 'digits', 7, true), [4_500, 0.6]),
      'tickets.comments.list': act('ticket', fresh('TCK-', 'digits', 7, true), [6_000, 0.8], [6, 0.8]),
      'tickets.comments.create': act('ticket', fresh('TCK-', 'digits', 7, true), [1_500, 0.5]),
      'tickets.update': act('ticket', fresh('TCK-', 'digits', 7, true), [800, 0.3]),
      'kb.articles.search': act('knowledge-base', fixed('kb-public'), [7_000, 0.5], [10, 0.4]),
      'kb.articles.get': act('article', pool('kb-', 'digits', 5, [150, 600], 0.005), [9_000, 0.6]),
      'customers.get': act('customer', pool('cus_', 'base36', 14, [2_000, 8_000], 0.25, { sticky: true }), [2_200, 0.4]),
      'tickets.macros.apply': act('ticket', fresh('TCK-', 'digits', 7, true), [600, 0.3]),
    },
    workflows: [
      {
        name: 'answer-ticket',
        weight: 6,
        start: 'tickets.get',
        next: {
          'tickets.get': [
            ['tickets.comments.list', 3],
            ['customers.get', 2],
          ],
          'tickets.comments.list': [
            ['kb.articles.search', 3],
            ['customers.get', 1],
          ],
          'customers.get': [
            ['kb.articles.search', 2],
            ['tickets.comments.create', 1],
          ],
          'kb.articles.search': [
            ['kb.articles.get', 4],
            ['END', 0.2],
          ],
          'kb.articles.get': [
            ['kb.articles.get', 1],
            ['tickets.comments.create', 3],
          ],
          'tickets.comments.create': [
            ['tickets.update', 2],
            ['END', 1],
          ],
          'tickets.update': [['END', 1]],
        },
      },
      {
        name: 'escalate-ticket',
        weight: 1,
        start: 'tickets.get',
        next: {
          'tickets.get': [['customers.get', 1]],
          'customers.get': [['tickets.update', 1]],
          'tickets.update': [['END', 1]],
        },
      },
    ],
    release: { action: 'tickets.macros.apply', after: 'tickets.comments.create', share: 0.2 },
    attack: {
      enumerate: { action: 'customers.get', resourceType: 'customer', prefix: 'cus_', digits: 8 },
      reads: ['customers.get', 'tickets.comments.list'],
      exfil: { action: 'mail.send', resourceType: 'recipient', destination: 'email' },
      sensitiveWrites: ['refunds.request', 'customers.update', 'tickets.delete'],
      escalation: ['support.admin.agents.update', 'customers.export', 'iam.roles.grant'],
    },
  },
  {
    type: 'finance-agent',
    prefix: 'finance',
    weight: 6,
    owners: ['team-finance'],
    clientId: 'finops-agent',
    scopes: ['payments.read', 'payments.refund', 'ledger.read', 'ledger.write'],
    extraScopes: ['reports.export'],
    userAgent: 'finops-agent/{version} stripe-node/14.25.0',
    version: [1, 2, 0],
    tokenTtlMinutes: 30,
    network: 'internal',
    utcOffsetsMinutes: [-300, 0, 60],
    rhythm: { pattern: 'office', weekendFactor: 0.02, batches: [{ hour: 17, minute: 45, workflow: 'close-reconcile', weekdaysOnly: true }] },
    sessionsPerDay: [8, 25],
    extraTasksPerSession: 0.3,
    thinkSeconds: [6, 0.7],
    users: { pool: [2, 6], joinsPerWeek: 0.2, servicePrincipal: true },
    failure: 0.004,
    denied: 0.002,
    actions: {
      'payments.invoices.list': act('invoice-view', fixed('open-invoices'), [30_000, 0.5], [40, 0.5]),
      'payments.invoices.get': act('invoice', pool('in_', 'base36', 16, [300, 1_500], 0.08), [3_000, 0.4]),
      'payments.charges.get': act('charge', fresh('ch_', 'base36', 16, true), [2_400, 0.3]),
      'payments.refund': act('charge', fresh('ch_', 'base36', 16, true), [1_100, 0.3], [1, 0], { failure: 0.02 }),
      'ledger.entries.read': act('ledger-account', pool('gl-', 'digits', 4, [20, 60], 0.005), [12_000, 0.8], [60, 0.8]),
      'ledger.entries.create': act('ledger-account', pool('gl-', 'digits', 4, [20, 60], 0.005), [900, 0.3]),
      'ledger.reconcile': act('ledger-account', pool('gl-', 'digits', 4, [20, 60], 0.005), [2_000, 0.4], [60, 0.6]),
      'payments.disputes.list': act('dispute-view', fixed('open-disputes'), [8_000, 0.5], [6, 0.6]),
    },
    workflows: [
      {
        name: 'refund-request',
        weight: 3,
        start: 'payments.charges.get',
        next: {
          'payments.charges.get': [
            ['payments.refund', 2],
            ['END', 2],
          ],
          'payments.refund': [
            ['ledger.entries.create', 2],
            ['END', 1],
          ],
          'ledger.entries.create': [['END', 1]],
        },
      },
      {
        name: 'invoice-check',
        weight: 4,
        start: 'payments.invoices.list',
        next: {
          'payments.invoices.list': [['payments.invoices.get', 4]],
          'payments.invoices.get': [
            ['payments.invoices.get', 2],
            ['ledger.entries.read', 1],
            ['END', 1.5],
          ],
          'ledger.entries.read': [
            ['END', 1],
            ['payments.invoices.get', 1],
          ],
        },
      },
      {
        name: 'close-reconcile',
        weight: 1,
        batch: true,
        start: 'ledger.entries.read',
        thinkSeconds: [1.5, 0.5],
        next: {
          'ledger.entries.read': [
            ['ledger.entries.read', 8],
            ['ledger.reconcile', 1],
          ],
          'ledger.reconcile': [
            ['ledger.entries.read', 3],
            ['END', 0.4],
          ],
        },
      },
    ],
    release: { action: 'payments.disputes.list', after: 'payments.invoices.list', share: 0.2 },
    attack: {
      enumerate: { action: 'payments.invoices.get', resourceType: 'invoice', prefix: 'in_', digits: 8 },
      reads: ['payments.invoices.get', 'ledger.entries.read'],
      exfil: { action: 'reports.export', resourceType: 'export', destination: 'url' },
      sensitiveWrites: ['payments.refund', 'payments.payouts.create', 'ledger.entries.create'],
      escalation: ['payments.payouts.create', 'payments.bank_accounts.update', 'iam.roles.grant'],
    },
  },
  {
    type: 'it-ops-agent',
    prefix: 'ops',
    weight: 10,
    owners: ['team-sre', 'team-infra'],
    clientId: 'ops-copilot',
    scopes: ['hosts.read', 'logs.read', 'metrics.read', 'deploys.read', 'deploys.write', 'incidents.write'],
    extraScopes: ['services.restart'],
    userAgent: 'ops-copilot/{version} go-sdk/1.22.4',
    version: [0, 21, 4],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: [-480, 0, 60, 330],
    rhythm: { pattern: 'always', weekendFactor: 0.7, diurnalSwing: 0.3 },
    sessionsPerDay: [25, 70],
    extraTasksPerSession: 0.4,
    thinkSeconds: [3, 0.9],
    users: { pool: [4, 12], joinsPerWeek: 0.3 },
    failure: 0.015,
    denied: 0.002,
    actions: {
      'hosts.list': act('host-group', fixed('prod'), [40_000, 0.4], [120, 0.3]),
      'hosts.get': act('host', pool('web-prod-', 'digits', 3, [30, 150], 0.03), [2_000, 0.4]),
      'logs.query': act('service', pool('svc/', 'words', 1, [10, 40], 0.01, { sticky: true }), [60_000, 1.2], [400, 1.2]),
      'metrics.query': act('service', pool('svc/', 'words', 1, [10, 40], 0.01, { sticky: true }), [15_000, 0.8], [60, 0.8]),
      'deploys.list': act('service', pool('svc/', 'words', 1, [10, 40], 0.01, { sticky: true }), [5_000, 0.4], [20, 0.4]),
      'deploys.create': act('service', pool('svc/', 'words', 1, [10, 40], 0.01, { sticky: true }), [1_500, 0.3]),
      'incidents.update': act('incident', fresh('INC-', 'digits', 6, true), [1_200, 0.4]),
      'runbooks.get': act('runbook', pool('rb-', 'words', 2, [20, 60], 0.01), [8_000, 0.5]),
      'services.restart': act('service', pool('svc/', 'words', 1, [10, 40], 0.01, { sticky: true }), [500, 0.2]),
    },
    workflows: [
      {
        name: 'investigate-alert',
        weight: 5,
        start: 'metrics.query',
        next: {
          'metrics.query': [
            ['logs.query', 3],
            ['metrics.query', 2],
            ['hosts.get', 1],
          ],
          'logs.query': [
            ['logs.query', 3],
            ['runbooks.get', 1],
            ['incidents.update', 1],
            ['END', 1.5],
          ],
          'hosts.get': [
            ['logs.query', 1],
            ['END', 1],
          ],
          'runbooks.get': [
            ['incidents.update', 1],
            ['END', 1],
          ],
          'incidents.update': [
            ['END', 2],
            ['metrics.query', 1],
          ],
        },
      },
      {
        name: 'deploy',
        weight: 2,
        start: 'deploys.list',
        next: {
          'deploys.list': [
            ['metrics.query', 1],
            ['deploys.create', 2],
          ],
          'deploys.create': [['metrics.query', 1]],
          'metrics.query': [
            ['metrics.query', 1],
            ['END', 2],
          ],
        },
      },
      {
        name: 'inventory',
        weight: 1,
        start: 'hosts.list',
        next: {
          'hosts.list': [
            ['hosts.get', 3],
            ['END', 1],
          ],
          'hosts.get': [
            ['hosts.get', 3],
            ['END', 1],
          ],
        },
      },
    ],
    release: { action: 'services.restart', after: 'runbooks.get', share: 0.3 },
    attack: {
      enumerate: { action: 'hosts.get', resourceType: 'host', prefix: 'db-prod-', digits: 4 },
      reads: ['logs.query', 'hosts.get'],
      exfil: { action: 'logs.export', resourceType: 'export', destination: 'url' },
      sensitiveWrites: ['deploys.create', 'services.restart', 'firewall.rules.update'],
      escalation: ['secrets.versions.access', 'kms.keys.decrypt', 'iam.roles.grant'],
    },
  },
  {
    type: 'research-agent',
    prefix: 'docs',
    weight: 12,
    owners: ['team-legal', 'team-strategy', 'team-product'],
    clientId: 'research-assistant',
    scopes: ['drive.read', 'docs.write', 'web.fetch'],
    extraScopes: ['drive.share'],
    userAgent: 'research-assistant/{version} anthropic-sdk-python/0.39.0',
    version: [0, 6, 2],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: [-300, 0, 60],
    rhythm: { pattern: 'office', weekendFactor: 0.1 },
    sessionsPerDay: [6, 18],
    extraTasksPerSession: 0.5,
    thinkSeconds: [4, 0.9],
    users: { pool: [5, 30], joinsPerWeek: 1 },
    failure: 0.02,
    denied: 0.004,
    actions: {
      'docs.search': act('drive', fixed('shared-drive'), [6_000, 0.5], [15, 0.5]),
      'drive.files.get': act('file', fresh('1', 'base36', 32), [40_000, 1.2]),
      'drive.files.list': act('folder', pool('fld-', 'hex', 12, [10, 50], 0.03), [12_000, 0.6], [30, 0.8]),
      'web.fetch': act('url', pool('', 'domain', 2, [20, 80], 0.1, { child: { separator: '/a/', style: 'hex', length: 10 } }), [80_000, 1.0], [1, 0], {
        failure: 0.05,
      }),
      'docs.documents.create': act('document', fresh('1', 'base36', 32, true), [2_000, 0.5]),
      'docs.documents.update': act('document', fresh('1', 'base36', 32, true), [4_000, 0.8]),
      'docs.comments.create': act('document', fresh('1', 'base36', 32, true), [700, 0.4]),
    },
    workflows: [
      {
        name: 'research-brief',
        weight: 5,
        start: 'docs.search',
        next: {
          'docs.search': [['drive.files.get', 5]],
          'drive.files.get': [
            ['drive.files.get', 6],
            ['web.fetch', 1],
            ['docs.documents.create', 1],
            ['END', 0.3],
          ],
          'web.fetch': [
            ['web.fetch', 2],
            ['drive.files.get', 1],
            ['docs.documents.create', 1],
          ],
          'docs.documents.create': [['docs.documents.update', 4]],
          'docs.documents.update': [
            ['docs.documents.update', 2],
            ['END', 2],
          ],
        },
      },
      {
        name: 'browse-folder',
        weight: 2,
        start: 'drive.files.list',
        next: {
          'drive.files.list': [
            ['drive.files.get', 5],
            ['drive.files.list', 1],
          ],
          'drive.files.get': [
            ['drive.files.get', 4],
            ['END', 1],
          ],
        },
      },
    ],
    release: { action: 'docs.comments.create', after: 'docs.documents.update', share: 0.2 },
    attack: {
      enumerate: { action: 'drive.files.list', resourceType: 'folder', prefix: 'fld-', digits: 8 },
      reads: ['drive.files.get', 'docs.search'],
      exfil: { action: 'drive.files.export', resourceType: 'export', destination: 'url' },
      sensitiveWrites: ['drive.permissions.create', 'drive.files.delete'],
      escalation: ['drive.admin.transfer', 'iam.roles.grant'],
    },
  },
  {
    type: 'identity-provisioner',
    prefix: 'idp',
    weight: 4,
    owners: ['team-it', 'team-people-ops'],
    clientId: 'onboarding-bot',
    scopes: ['directory.read', 'directory.write', 'groups.write', 'licenses.write', 'mail.send'],
    extraScopes: ['devices.write'],
    userAgent: 'onboarding-bot/{version} okta-sdk-python/2.9.8',
    version: [2, 0, 7],
    tokenTtlMinutes: 60,
    network: 'internal',
    utcOffsetsMinutes: [-300, 0, 60],
    rhythm: { pattern: 'office', weekendFactor: 0 },
    sessionsPerDay: [3, 10],
    extraTasksPerSession: 0.8,
    thinkSeconds: [2, 0.6],
    users: { pool: [2, 5], joinsPerWeek: 0.2 },
    failure: 0.01,
    denied: 0.003,
    actions: {
      'directory.users.get': act('user', pool('u-', 'digits', 5, [300, 1_500], 0.02, { sticky: true }), [1_800, 0.3]),
      'directory.users.create': act('user', fresh('u-', 'digits', 5, true), [1_500, 0.3]),
      'directory.users.update': act('user', pool('u-', 'digits', 5, [300, 1_500], 0.02, { sticky: true }), [1_200, 0.3]),
      'directory.users.suspend': act('user', pool('u-', 'digits', 5, [300, 1_500], 0.02, { sticky: true }), [400, 0.2]),
      'directory.groups.members.insert': act('group', pool('grp-', 'words', 2, [20, 60], 0.01), [600, 0.2]),
      'directory.groups.members.delete': act('group', pool('grp-', 'words', 2, [20, 60], 0.01), [400, 0.2]),
      'licenses.assign': act('license', pool('sku-', 'words', 1, [3, 8], 0.001), [500, 0.2]),
      'mail.send': act('recipient', recipients, [3_000, 0.4]),
      'devices.enroll': act('device', fresh('dev-', 'hex', 12), [900, 0.3]),
    },
    workflows: [
      {
        name: 'onboard-employee',
        weight: 3,
        start: 'directory.users.create',
        next: {
          'directory.users.create': [['directory.groups.members.insert', 1]],
          'directory.groups.members.insert': [
            ['directory.groups.members.insert', 2],
            ['licenses.assign', 2],
          ],
          'licenses.assign': [
            ['mail.send', 2],
            ['END', 1],
          ],
          'mail.send': [['END', 1]],
        },
      },
      {
        name: 'offboard-employee',
        weight: 1,
        start: 'directory.users.get',
        next: {
          'directory.users.get': [
            ['directory.users.suspend', 2],
            ['END', 0.5],
          ],
          'directory.users.suspend': [['directory.groups.members.delete', 1]],
          'directory.groups.members.delete': [
            ['directory.groups.members.delete', 1],
            ['END', 2],
          ],
        },
      },
      {
        name: 'update-profile',
        weight: 3,
        start: 'directory.users.get',
        next: {
          'directory.users.get': [
            ['directory.users.update', 1],
            ['END', 2],
          ],
          'directory.users.update': [['END', 1]],
        },
      },
    ],
    release: { action: 'devices.enroll', after: 'licenses.assign', share: 0.3 },
    attack: {
      enumerate: { action: 'directory.users.get', resourceType: 'user', prefix: 'u-', digits: 5 },
      reads: ['directory.users.get'],
      exfil: { action: 'mail.send', resourceType: 'recipient', destination: 'email' },
      sensitiveWrites: ['directory.users.update', 'directory.groups.members.insert', 'directory.users.suspend'],
      escalation: ['directory.roles.assign', 'directory.users.mfa.reset', 'iam.roles.grant'],
    },
  },
];

/** Words resource names are made of (repositories, tables, services, groups). */
export const NAME_WORDS = [
  'billing',
  'orders',
  'search',
  'ledger',
  'payments',
  'catalog',
  'identity',
  'gateway',
  'inventory',
  'pricing',
  'shipping',
  'reports',
  'events',
  'sessions',
  'accounts',
  'checkout',
  'notify',
  'profile',
  'export',
  'import',
  'metrics',
  'audit',
  'storage',
  'media',
  'mobile',
  'web',
  'partner',
  'support',
  'growth',
  'forecast',
  'churn',
  'revenue',
  'leads',
  'refunds',
  'tax',
  'invoices',
  'fraud',
  'risk',
  'sync',
  'daily',
  'weekly',
  'core',
  'edge',
  'ml',
  'features',
  'labels',
  'clicks',
  'visits',
  'cohorts',
  'campaigns',
] as const;

/** The actions of a workflow, which a task created from it declares (plus the release action once deployed). */
export function workflowActions(workflow: Workflow): string[] {
  const actions = new Set<string>([workflow.start]);
  for (const [from, targets] of Object.entries(workflow.next)) {
    actions.add(from);
    for (const [to] of targets) if (to !== 'END') actions.add(to);
  }
  return [...actions].sort();
}

/** Builds a name in the given style (used for pools, fresh ids and enumeration targets). */
export function makeName(random: Random, style: IdStyle, length: number): string {
  switch (style) {
    case 'hex':
      return random.hex(length);
    case 'digits':
      return random.digits(length);
    case 'base36':
      return random.base36(length);
    case 'words':
    case 'snake': {
      const words: string[] = [];
      for (let i = 0; i < length; i += 1) words.push(random.pick(NAME_WORDS));
      return words.join(style === 'snake' ? '_' : '-');
    }
    case 'domain':
      return `https://${random.pick(NAME_WORDS)}-${random.pick(NAME_WORDS)}.example`;
  }
}
