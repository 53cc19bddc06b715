// The store's settings: where the DuckDB file lives, its memory, and how long rows are kept.
import { z } from 'zod';
import { flag, int, size } from '../config-fields.ts';

export const StoreSettings = z.object({
  dataDir: z.string().min(1).default('./data').describe('folder of the DuckDB file `ioc.duckdb`'),
  dbFile: z.string().optional().meta({
    description: 'another DuckDB file; `:memory:` keeps everything in memory (tests)',
    shownDefault: '`DATA_DIR/ioc.duckdb`',
  }),
  duckdbMemoryLimit: size
    .default('1GB')
    .describe("DuckDB's buffer pool (its own default is 80 % of the machine's memory); blocks beyond it stay on disk"),
  duckdbThreads: int(1, 64)
    .default(1)
    .describe(
      "DuckDB threads of the engine's own database (commits, ticks, the walls' reads); analysts' queries run on their replica's `SQL_THREADS`",
    ),
  retainRawDays: int(1, 3650).default(7).describe('days raw events are kept'),
  retainRollupDays: int(1, 36_500).default(400).describe('days indicator rollups are kept'),
  archiveRaw: flag.default(true).describe('write raw events to Parquet under `DATA_DIR/archive` before deleting them'),
});
