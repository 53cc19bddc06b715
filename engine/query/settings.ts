// The analysts' sandbox settings: limits of one query, and of all of them together.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const QuerySettings = z.object({
  sqlTimeoutMs: int(100, 600_000).default(10_000).describe('time limit of one analyst query'),
  sqlMaxRows: int(1, 10_000_000).default(10_000).describe('rows one analyst query answers in JSON'),
  // Each query uses every DuckDB thread: more than one at once starves ingestion (see bench/sql.ts).
  sqlConcurrency: int(1, 16)
    .default(1)
    .describe('analyst queries running at once; each uses every DuckDB thread of the replica'),
  sqlQueue: int(0, 1000).default(16).describe('analyst queries waiting for a turn (one more: `429 busy`)'),
  sqlExportTimeoutMs: int(1000, 3_600_000)
    .default(300_000)
    .describe('time limit of a CSV, Parquet or Arrow download (no row cap)'),
  sqlYieldMs: int(0, 60_000)
    .default(2_000)
    .describe(
      'while ingestion is behind (more than a batch waiting to commit), a new analyst query waits for it up to this long; `0`: never',
    ),
});
