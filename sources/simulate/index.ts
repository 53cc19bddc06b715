// The Hanoi simulator's one door: seeded, deterministic cameras, sensors and public-service agencies.
export { createSimulator } from './simulator.ts';
export { startMqttSimulator } from './mqtt.ts';
export type { SimArea, SimMessage } from './types.ts';
