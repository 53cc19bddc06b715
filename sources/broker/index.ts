// The embedded broker's door.
export { startEmbeddedBroker, type EmbeddedBroker } from './aedes.ts';
