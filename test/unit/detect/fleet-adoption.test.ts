import { describe, expect, it } from 'vitest';
import { ADOPTION_WINDOW_MS, FleetAdoption } from '../../../src/detect/fleet-adoption.js';

const HOUR = 3_600_000;

describe('FleetAdoption', () => {
  it('counts the other agents of the same type that adopted the action within two days before', () => {
    const adoption = new FleetAdoption();
    adoption.noteAdoption('code-review-bot', 'repo.pulls.suggestions.create', 'review-1', 0);
    adoption.noteAdoption('code-review-bot', 'repo.pulls.suggestions.create', 'review-2', 5 * HOUR);
    adoption.noteAdoption('crm-updater', 'repo.pulls.suggestions.create', 'crm-1', 5 * HOUR); // another type
    adoption.noteAdoption('code-review-bot', 'repo.issues.close', 'review-3', 5 * HOUR); // another action
    const others = (agentId: string, timeMs: number) => adoption.othersAdopting('code-review-bot', 'repo.pulls.suggestions.create', agentId, timeMs);
    expect(others('review-9', 6 * HOUR)).toBe(2);
    expect(others('review-1', 6 * HOUR)).toBe(1); // not itself
    expect(others('review-9', 4 * HOUR)).toBe(1); // review-2 adopted after this event
    expect(others('review-9', ADOPTION_WINDOW_MS + 1)).toBe(1); // review-1's adoption is over two days old
    expect(adoption.othersAdopting('calendar-scheduler', 'repo.pulls.suggestions.create', 'cal-1', HOUR)).toBe(0);
  });

  it("keeps an agent's first adoption, not its later findings", () => {
    const adoption = new FleetAdoption();
    adoption.noteAdoption('etl', 'warehouse.tables.optimize', 'etl-1', 0);
    adoption.noteAdoption('etl', 'warehouse.tables.optimize', 'etl-1', 3 * 24 * HOUR);
    expect(adoption.othersAdopting('etl', 'warehouse.tables.optimize', 'etl-2', 3 * 24 * HOUR)).toBe(0);
  });

  it('stays bounded: the newest 8 adopters of an action, the newest 50,000 actions', () => {
    const adoption = new FleetAdoption();
    for (let agent = 0; agent < 12; agent++) adoption.noteAdoption('etl', 'warehouse.tables.optimize', `etl-${agent}`, agent * HOUR);
    expect(adoption.othersAdopting('etl', 'warehouse.tables.optimize', 'etl-new', 12 * HOUR)).toBe(8);
    for (let action = 0; action < 50_010; action++) adoption.noteAdoption('etl', `action-${action}`, 'etl-0', 0);
    expect(adoption.trackedActions).toBe(50_000);
    expect(adoption.othersAdopting('etl', 'warehouse.tables.optimize', 'etl-new', 12 * HOUR)).toBe(0); // the oldest went first
    expect(adoption.othersAdopting('etl', 'action-50009', 'etl-new', HOUR)).toBe(1);
  });
});
