// Fleet adoption: which agents of a type recently started calling an action new to them.
//
// A release of an agent type adds a tool, and within hours every agent of that type calls an
// action it never called before: per agent, that is exactly what action novelty flags, so a fleet
// of thirty code-review bots opened thirty alerts for one release (seed 23's most common benign
// alert). Here, per agent type and action, the agents whose action finding fired for it are kept
// with the time they first did; calibration discounts an action's novelty findings by how many
// other agents of the same type adopted it within ADOPTION_WINDOW_MS. The first agents to adopt
// still alert at full strength — an analyst sees the release, or the campaign — and the rest of
// the fleet does not page for it again. In memory, per process (like fleet calibration).
import { DAY_MS } from '../profile/time-decay.js';

export const ADOPTION_WINDOW_MS = 2 * DAY_MS;
/** Signals whose finding on an action is discounted when the agent's type is adopting that action. */
export const ADOPTION_SIGNALS: ReadonlySet<string> = new Set(['action_frequency', 'workflow']);
/** The signal whose finding marks an agent as adopting the event's action. */
export const ADOPTING_SIGNAL = 'action_frequency';
/** Actions remembered per agent type; the oldest first-adopted go first. */
const MAX_ACTIONS_PER_TYPE = 2_000;
/** Agents remembered per action: more than enough to say "a release". */
const MAX_ADOPTERS_PER_ACTION = 64;

export class FleetAdoption {
  /** agent type → action → agent id → when its action finding first fired for it. */
  private readonly byType = new Map<string, Map<string, Map<string, number>>>();

  /** Other agents of `agentType` that adopted `action` in the ADOPTION_WINDOW_MS before `timeMs`. */
  othersAdopting(agentType: string, action: string, agentId: string, timeMs: number): number {
    const adopters = this.byType.get(agentType)?.get(action);
    if (adopters === undefined) return 0;
    let others = 0;
    for (const [adopter, adoptedMs] of adopters) {
      if (adopter !== agentId && adoptedMs <= timeMs && timeMs - adoptedMs <= ADOPTION_WINDOW_MS) others++;
    }
    return others;
  }

  /** Notes that `agentId`'s action finding fired for `action` at `timeMs` (only its first time counts). */
  noteAdoption(agentType: string, action: string, agentId: string, timeMs: number): void {
    let actions = this.byType.get(agentType);
    if (actions === undefined) this.byType.set(agentType, (actions = new Map()));
    let adopters = actions.get(action);
    if (adopters === undefined) {
      if (actions.size >= MAX_ACTIONS_PER_TYPE) actions.delete(actions.keys().next().value as string);
      actions.set(action, (adopters = new Map()));
    }
    if (adopters.has(agentId)) return;
    if (adopters.size >= MAX_ADOPTERS_PER_ACTION) adopters.delete(adopters.keys().next().value as string);
    adopters.set(agentId, timeMs);
  }
}
