// The analysts' replica settings: its own DuckDB instance's memory and threads, and how soon it follows.
import { z } from 'zod';
import { int, size } from '../../config-fields.ts';

export const ReplicaSettings = z.object({
  sqlMemoryLimit: size
    .default('1GB')
    .describe(
      "memory of the analysts' replica (their own DuckDB instance); `DUCKDB_MEMORY_LIMIT` is ingestion's, apart from it",
    ),
  sqlThreads: int(1, 64).default(2).describe("DuckDB threads of the analysts' replica"),
  // Each step costs a few statements whatever it copies (the registers' signatures, a DELETE and an INSERT per table
  // that changed): a step a second was about 65 ms of a quiet engine's CPU a second.
  sqlSyncMs: int(50, 60_000)
    .default(5000)
    .describe(
      "longest delay before a change reaches the analysts' replica while nobody queries (a query always catches it up first)",
    ),
});
