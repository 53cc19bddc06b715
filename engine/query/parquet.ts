// Parquet downloads, written by a second in-memory DuckDB instance that reads nothing and may write only into its own folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Database, type Connection } from '../db.ts';
import { sqlString } from '../sql/index.ts';
import { typeName, type ResultStream } from './result-stream.ts';

/**
 * The analysts' instance keeps external access off with no exception, so no analyst SQL can ever name a path.
 * Instead, the result chunks are appended to a table of this separate instance, which runs only the engine's
 * own statements, with external access off except for one private folder (allowed_directories), and its
 * configuration locked. The cost is one extra copy of the result, spilled to that folder when it is large.
 */
export class ParquetWriter {
  private constructor(
    private readonly db: Database,
    readonly dir: string,
  ) {}

  static async open(): Promise<ParquetWriter> {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-export-'));
    const db = await Database.open(':memory:', {
      threads: '1',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const conn = await db.connect();
    try {
      await conn.run(`SET allowed_directories = [${sqlString(`${dir}/`)}]`);
      await conn.run(`SET temp_directory = ${sqlString(join(dir, 'spill'))}`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
    } finally {
      conn.close();
    }
    return new ParquetWriter(db, dir);
  }

  /** Copies the whole result into a Parquet file (zstd) and returns its path and row count; the caller removes the file. */
  async write(result: ResultStream): Promise<{ file: string; rows: number }> {
    const id = randomUUID().replaceAll('-', '');
    const table = `export_${id}`;
    const file = join(this.dir, `${id}.parquet`);
    const conn: Connection = await this.db.connect();
    let rows = 0;
    try {
      const cols = result.columns.map((c) => `"${c.name.replaceAll('"', '""')}" ${typeName(c.type)}`);
      // DuckDB allows duplicate column names in a result, not in a table: suffix repeats.
      const seen = new Map<string, number>();
      const unique = cols.map((def, i) => {
        const name = result.columns[i]!.name;
        const n = seen.get(name) ?? 0;
        seen.set(name, n + 1);
        return n === 0
          ? def
          : def.replace(`"${name.replaceAll('"', '""')}"`, `"${`${name}_${n}`.replaceAll('"', '""')}"`);
      });
      await conn.run(`CREATE TABLE ${table} (${unique.join(', ')})`);
      const appender = await conn.raw.createAppender(table);
      try {
        for await (const chunk of result.chunks()) {
          appender.appendDataChunk(chunk);
          rows += chunk.rowCount;
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await conn.run(`COPY ${table} TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`);
      return { file, rows };
    } catch (err) {
      rmSync(file, { force: true });
      throw err;
    } finally {
      await conn.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      conn.close();
    }
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
