// One small simulation shared by the simulate tests (generating is the slow part): 40 agents over
// 14 days with two episodes of every attack kind, collected in memory.
import { type Simulation, SIMULATION_DEFAULTS, type SimulationOptions, createSimulation } from '../../../src/simulate/simulate.js';
import type { SimulatedEvent } from '../../../src/simulate/event-builder.js';

export const SMALL_FLEET: SimulationOptions = { ...SIMULATION_DEFAULTS, seed: 11, agents: 40, days: 14, attacksPerKind: 2 };

export interface CollectedRun {
  simulation: Simulation;
  events: SimulatedEvent[];
}

export function collect(options: SimulationOptions): CollectedRun {
  const simulation = createSimulation(options);
  const events: SimulatedEvent[] = [];
  for (const slice of simulation.slices()) for (const event of slice.events) events.push(event);
  return { simulation, events };
}

let shared: CollectedRun | undefined;

export function smallFleetRun(): CollectedRun {
  shared ??= collect(SMALL_FLEET);
  return shared;
}
