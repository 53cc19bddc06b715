// File replay: NDJSON or CSV events into MQTT, NATS or the engine's HTTP ingest, at a chosen speed.
export { csvEvent, csvRows } from './csv.ts';
export { eventTime, Pacer, type PaceOptions } from './pace.ts';
export { familyOf, readEvents, type Item, type ReplayFamily } from './read.ts';
export { replay, type ReplayOptions, type ReplaySummary } from './replay.ts';
export { deviceOf, openTarget, type Target, type TargetOptions, type TargetReport } from './target.ts';
