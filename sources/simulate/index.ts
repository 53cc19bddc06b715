// The Hanoi simulator's one door: seeded, deterministic cameras, sensors and public-service agencies.
export { createSimulator } from './simulator.ts';
export type { SensorKind, SimArea, SimDevice, SimMessage, SimOptions, Simulator } from './types.ts';
