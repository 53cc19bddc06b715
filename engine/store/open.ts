// Opens (or creates) the DuckDB file under DATA_DIR with the engine's tables; one writer connection, one for readers.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Database, type Connection } from '../db.ts';
import { sqlString } from '../sql/index.ts';
import { createTables } from './tables.ts';

export interface Store {
  db: Database;
  /** Ingestion and rollups write here, one transaction at a time. */
  writer: Connection;
  /** The API's own reads (indicators, health), apart from the writer. */
  reader: Connection;
  path: string;
  /** Where retention writes the Parquet archive: the one folder SQL may touch. */
  archiveDir: string;
  close(): Promise<void>;
}

export async function openStore(opts: {
  dataDir: string;
  dbFile?: string | undefined;
  archiveDir?: string | undefined;
  duckdbMemoryLimit?: string | undefined;
  duckdbThreads?: number | undefined;
}): Promise<Store> {
  let path = opts.dbFile ?? join(resolve(opts.dataDir), 'ioc.duckdb');
  if (path !== ':memory:') mkdirSync(resolve(path, '..'), { recursive: true });
  const db = await Database.open(path, {
    // One thread by default: the engine's statements are small (a commit's few hundred rows, a tick's few windows), and
    // a second thread only adds the hand-over between them: a quiet city cost a quarter more CPU with two (76 % of a
    // core against 56 %), while ingestion, bound by decoding on the main thread, committed as fast with one.
    threads: String(opts.duckdbThreads ?? 1),
    // The engine keeps the plans of its repeated statements (Connection.runPlanned). With statistics propagation
    // on, DuckDB 1.5 bakes the tables' statistics of the moment into a kept plan, and later runs of it miss rows or
    // misjudge filters once the tables have grown (duckdb/duckdb#23704, #24182; fixed upstream by dropping that pass
    // for prepared plans, #24696). Scans still skip blocks by their zone maps: that is done when they run.
    disabled_optimizers: 'statistics_propagation',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // DuckDB caches the blocks it writes and reads up to this (its own default is 80 % of the machine's memory).
    ...(opts.duckdbMemoryLimit ? { memory_limit: opts.duckdbMemoryLimit } : {}),
    // The newest storage format: the views' SQL macros use typed parameters, which older formats cannot store.
    storage_compatibility_version: 'latest',
  });
  const writer = await db.connect();
  // No file, URL or extension access from SQL (analysts' queries run on this instance too), except the engine's
  // own Parquet archive. The order matters: once external access is off, the allowed folders cannot change.
  const archiveDir =
    opts.archiveDir ??
    (path === ':memory:' ? join(tmpdir(), 'ioc-memory-archive') : join(resolve(opts.dataDir), 'archive'));
  mkdirSync(archiveDir, { recursive: true });
  await writer.run(`SET allowed_directories = [${sqlString(archiveDir + '/')}]`);
  await writer.run('SET enable_external_access = false');
  await createTables(writer);
  const reader = await db.connect();
  return {
    db,
    writer,
    reader,
    path,
    archiveDir,
    async close() {
      if (path !== ':memory:') await writer.run('CHECKPOINT').catch(() => undefined);
      reader.close();
      writer.close();
      db.close();
      path = '';
    },
  };
}
