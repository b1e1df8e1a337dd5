import { describe, expect, it } from 'vitest';
import { ARCHETYPES, workflowActions } from '../../../src/simulate/archetypes.js';
import { archetypeCounts } from '../../../src/simulate/fleet.js';

describe('simulated archetypes', () => {
  it('offers at least eight kinds of agent, each with its own id prefix, client and vocabulary', () => {
    expect(ARCHETYPES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ARCHETYPES.map((archetype) => archetype.prefix)).size).toBe(ARCHETYPES.length);
    expect(new Set(ARCHETYPES.map((archetype) => archetype.clientId)).size).toBe(ARCHETYPES.length);
    expect(new Set(ARCHETYPES.map((archetype) => Object.keys(archetype.actions).sort().join())).size).toBe(ARCHETYPES.length);
  });

  it.each(ARCHETYPES.map((archetype) => [archetype.type, archetype] as const))(
    '%s: workflows, release and attack reads use only its own actions',
    (_type, archetype) => {
      for (const workflow of archetype.workflows)
        for (const action of workflowActions(workflow)) expect(archetype.actions[action], `${workflow.name}: ${action}`).toBeDefined();
      for (const batch of archetype.rhythm.batches ?? [])
        expect(archetype.workflows.some((workflow) => workflow.name === batch.workflow && workflow.batch)).toBe(true);
      expect(archetype.actions[archetype.release.action]).toBeDefined();
      for (const action of archetype.attack.reads) expect(archetype.actions[action]).toBeDefined();
      expect(archetype.workflows.some((workflow) => !workflow.batch)).toBe(true);
    },
  );

  it('gives every kind at least one agent once the fleet has room, and the requested total', () => {
    expect(archetypeCounts(200).reduce((sum, count) => sum + count, 0)).toBe(200);
    expect(archetypeCounts(200).every((count) => count >= 1)).toBe(true);
    expect(archetypeCounts(ARCHETYPES.length)).toEqual(ARCHETYPES.map(() => 1));
    expect(archetypeCounts(3).reduce((sum, count) => sum + count, 0)).toBe(3);
  });
});
