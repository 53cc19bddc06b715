// The embedded broker's door.
export { startEmbeddedBroker, type EmbeddedBroker } from './aedes.ts';
export type { BrokerGate, ClientRights, ConnectVerdict } from './gate.ts';
