// Opens (or creates) the DuckDB file under DATA_DIR with the engine's tables; one writer connection, one for readers.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Database, type Connection } from '../db.ts';
import { createTables } from './tables.ts';

export interface Store {
  db: Database;
  /** Ingestion and rollups write here, one transaction at a time. */
  writer: Connection;
  /** The API's own reads (indicators, health), apart from the writer. */
  reader: Connection;
  path: string;
  close(): Promise<void>;
}

export async function openStore(opts: { dataDir: string; dbFile?: string | undefined }): Promise<Store> {
  let path = opts.dbFile ?? join(resolve(opts.dataDir), 'ioc.duckdb');
  if (path !== ':memory:') mkdirSync(resolve(path, '..'), { recursive: true });
  // No file, URL or extension access from SQL: analysts' queries run on this instance too.
  const db = await Database.open(path, { threads: '2', enable_external_access: 'false', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false',
    // The newest storage format: the views' SQL macros use typed parameters, which older formats cannot store.
    storage_compatibility_version: 'latest' });
  const writer = await db.connect();
  await createTables(writer);
  const reader = await db.connect();
  return {
    db, writer, reader, path,
    async close() {
      if (path !== ':memory:') await writer.run('CHECKPOINT').catch(() => undefined);
      reader.close();
      writer.close();
      db.close();
      path = '';
    },
  };
}
