// Fleet adoption: which agents of a type recently started calling an action new to them.
//
// A release of an agent type adds a tool, and within hours every agent of that type calls an
// action it never called before: per agent, that is exactly what action novelty flags, so one
// release opened an alert per code-review bot (seed 23's most common benign alert). Here, per
// agent type and action, the agents whose action finding fired for it are kept with the time
// they first did; calibration discounts an action's novelty findings by how many other agents of
// the same type adopted it within ADOPTION_WINDOW_MS. The first agents to adopt still alert at
// full strength — an analyst sees the release, or the campaign — and the rest of the fleet does
// not page for it again. In memory, per process (like fleet calibration).
import { DAY_MS } from '../profile/time-decay.js';

export const ADOPTION_WINDOW_MS = 2 * DAY_MS;
/** Signals whose finding on an action is discounted when the agent's type is adopting that action. */
export const ADOPTION_SIGNALS: ReadonlySet<string> = new Set(['action_frequency', 'workflow']);
/** The signal whose finding marks an agent as adopting the event's action. */
export const ADOPTING_SIGNAL = 'action_frequency';
/**
 * (agent type, action) pairs remembered, the oldest first adopted forgotten first: bounded
 * memory whatever types and actions the stream carries (~50k × 8 entries at most, ~25 MB).
 */
const MAX_TRACKED_ACTIONS = 50_000;
/** Agents remembered per action, the newest kept: the discount is full at ADOPTERS_FOR_FULL_DISCOUNT (4) others. */
const MAX_ADOPTERS_PER_ACTION = 8;

export class FleetAdoption {
  /** "type\0action" → agent id → when its action finding first fired for that action. */
  private readonly adoptersByAction = new Map<string, Map<string, number>>();

  /** Other agents of `agentType` that adopted `action` in the ADOPTION_WINDOW_MS before `timeMs`. */
  othersAdopting(agentType: string, action: string, agentId: string, timeMs: number): number {
    const adopters = this.adoptersByAction.get(actionKey(agentType, action));
    if (adopters === undefined) return 0;
    let others = 0;
    for (const [adopter, adoptedMs] of adopters) {
      if (adopter !== agentId && adoptedMs <= timeMs && timeMs - adoptedMs <= ADOPTION_WINDOW_MS) others++;
    }
    return others;
  }

  /** Notes that `agentId`'s action finding fired for `action` at `timeMs` (only its first time counts). */
  noteAdoption(agentType: string, action: string, agentId: string, timeMs: number): void {
    const key = actionKey(agentType, action);
    let adopters = this.adoptersByAction.get(key);
    if (adopters === undefined) {
      if (this.adoptersByAction.size >= MAX_TRACKED_ACTIONS) this.adoptersByAction.delete(this.adoptersByAction.keys().next().value as string);
      this.adoptersByAction.set(key, (adopters = new Map()));
    }
    if (adopters.has(agentId)) return;
    if (adopters.size >= MAX_ADOPTERS_PER_ACTION) adopters.delete(adopters.keys().next().value as string);
    adopters.set(agentId, timeMs);
  }

  /** (agent type, action) pairs remembered. */
  get trackedActions(): number {
    return this.adoptersByAction.size;
  }
}

function actionKey(agentType: string, action: string): string {
  return `${agentType}\u0000${action}`;
}
