// File replay: NDJSON or CSV events into MQTT, NATS or the engine's HTTP ingest, at a chosen speed.
export { csvEvent, csvRows } from './csv.ts';
export { Pacer } from './pace.ts';
export { readEvents, type ReplayFamily } from './read.ts';
export { replay } from './replay.ts';
