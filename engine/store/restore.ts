// Puts a backup's files back into a data folder (the engine stopped): checks every file against the manifest first,
// never mixes a backup with an older database's WAL, and opens the result once to prove it reads as the backup said.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Database } from '../db.ts';
import { EngineError } from '../errors.ts';
import { DATABASE_FILE, MANIFEST_FILE, parseManifest, sha256File, TOKENS_FILE, type Manifest } from './backup.ts';

/** Reads `<dir>/backup.json` and checks every file it lists (size and SHA-256). */
export async function readBackup(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new EngineError('not_found', `${path} is missing: ${dir} holds no complete backup`);
  const manifest = parseManifest(readFileSync(path, 'utf8'), path);
  const problems: string[] = [];
  for (const f of manifest.files) {
    const file = join(dir, f.name);
    if (!existsSync(file)) problems.push(`${f.name} is missing`);
    else if (statSync(file).size !== f.bytes)
      problems.push(`${f.name} has ${statSync(file).size} bytes, not ${f.bytes}`);
    else if ((await sha256File(file)) !== f.sha256) problems.push(`${f.name} does not match its SHA-256`);
  }
  if (problems.length) throw new EngineError('bad_request', `the backup in ${dir} is damaged: ${problems.join('; ')}`);
  return manifest;
}

export interface RestoreTarget {
  dataDir: string;
  /** The database file (DB_FILE, or DATA_DIR/ioc.duckdb). */
  dbFile: string;
}

/** What of an earlier engine the target holds: a restore replaces it only when told to. */
export function occupied(target: RestoreTarget, manifest: Manifest): string[] {
  const found: string[] = [];
  for (const f of [target.dbFile, `${target.dbFile}.wal`]) if (existsSync(f)) found.push(f);
  const tokens = join(target.dataDir, TOKENS_FILE);
  if (manifest.files.some((f) => f.name === TOKENS_FILE) && existsSync(tokens)) found.push(tokens);
  const archive = join(target.dataDir, 'archive');
  if (existsSync(archive) && readdirSync(archive).length > 0) found.push(archive);
  return found;
}

/**
 * Copies the backup in. `force` replaces what an earlier engine left (its database, WAL, archive and tokens); the
 * database must not be open elsewhere (a running engine's lock makes this fail before anything is touched).
 */
export async function restoreFiles(
  dir: string,
  manifest: Manifest,
  target: RestoreTarget,
  force: boolean,
): Promise<{ bytes: number; files: number }> {
  const found = occupied(target, manifest);
  if (found.length > 0 && !force)
    throw new EngineError(
      'bad_request',
      `the data folder is in use: ${found.join(', ')}; stop its engine and pass --force to replace them`,
    );
  if (existsSync(target.dbFile)) {
    // Opening takes DuckDB's write lock: it fails while an engine holds the file. A file that does not open for
    // another reason (damaged, say) is what a restore is for.
    const held = await Database.open(target.dbFile).then(
      (db) => (db.close(), null),
      (err: unknown) => ((err as Error).message.match(/lock/i) ? (err as Error) : null),
    );
    if (held) throw new EngineError('unavailable', `${held.message}; nothing was restored`);
  }
  await mkdir(dirname(target.dbFile), { recursive: true });
  const staged = `${target.dbFile}.restoring`;
  await copyFile(join(dir, DATABASE_FILE), staged);
  // An older database's WAL would be replayed onto the restored file.
  await rm(`${target.dbFile}.wal`, { force: true });
  await rename(staged, target.dbFile);
  await rm(join(target.dataDir, 'archive'), { recursive: true, force: true });
  let bytes = 0;
  for (const f of manifest.files) {
    bytes += f.bytes;
    if (f.name === DATABASE_FILE) continue;
    const to = join(target.dataDir, f.name);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(dir, f.name), to);
  }
  await checkRestored(target.dbFile, manifest);
  return { bytes, files: manifest.files.length };
}

/** The restored file opens, and every table holds the rows the manifest counted. */
async function checkRestored(dbFile: string, manifest: Manifest): Promise<void> {
  const db = await Database.open(dbFile);
  try {
    const conn = await db.connect();
    try {
      const wrong: string[] = [];
      for (const t of manifest.tables) {
        const [row] = await conn.objects<{ n: number }>(
          `SELECT count(*)::BIGINT AS n FROM main."${t.name.replaceAll('"', '""')}"`,
        );
        if (Number(row?.n) !== t.rows) wrong.push(`${t.name}: ${row?.n} rows, the backup counted ${t.rows}`);
      }
      if (wrong.length)
        throw new EngineError('internal', `the restored database differs from the backup: ${wrong.join('; ')}`);
    } finally {
      conn.close();
    }
  } finally {
    db.close();
  }
}
