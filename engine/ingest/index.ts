// Ingestion's door: decoded messages in, committed batches out.
export { Batcher, noIngestYet, type Committed, type IngestStats } from './batcher.ts';
