// The analysts' replica: their own DuckDB instance, kept in step with the engine's database.
export { Replica } from './replica.ts';
export { sqlThreadsOf } from './settings.ts';
