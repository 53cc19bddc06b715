// The embedded broker's door.
export { startEmbeddedBroker, MAX_CLIENT_ID_LENGTH, type EmbeddedBroker } from './aedes.ts';
export type { BrokerGate, ClientRights, ConnectVerdict, RefusalCode } from './gate.ts';
