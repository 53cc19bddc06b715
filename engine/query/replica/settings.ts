// The analysts' replica settings: its own DuckDB instance's memory and threads, and how soon it follows.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { int, size } from '../../config-fields.ts';

export const ReplicaSettings = z.object({
  sqlMemoryLimit: size
    .default('1GB')
    .describe(
      "memory of the analysts' replica (their own DuckDB instance); `DUCKDB_MEMORY_LIMIT` is ingestion's, apart from it",
    ),
  sqlThreads: int(1, 64).optional().meta({
    description:
      "DuckDB threads of the analysts' replica; by default half the machine's cores, so the rest stay ingestion's whatever analysts run",
    shownDefault: 'half the cores, at least 1',
  }),
  // Each step costs a few statements whatever it copies (the registers' signatures, a DELETE and an INSERT per table
  // that changed): a step a second was about 65 ms of a quiet engine's CPU a second.
  sqlSyncMs: int(50, 60_000)
    .default(5000)
    .describe(
      "longest delay before a change reaches the analysts' replica while nobody queries (a query always catches it up first)",
    ),
});

/**
 * Threads of the analysts' replica when `SQL_THREADS` is unset. On two cores, two replica threads running a heavy
 * query until its time limit take both cores from ingestion, the ticks and the walls' reads for as long.
 */
export const sqlThreadsOf = (configured: number | undefined): number =>
  configured ?? Math.max(1, Math.floor(availableParallelism() / 2));
