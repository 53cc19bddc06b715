// A consistent copy of a running engine's database, taken while ingestion goes on, with its Parquet archive, its tokens
// and the stream position it covers: what `ioc backup` downloads and `ioc restore` puts back.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { sqlString } from '../sql/index.ts';
import { freeBytes } from './checkpoints.ts';
import type { Store } from './open.ts';

export const BACKUP_FORMAT = 1;
export const MANIFEST_FILE = 'backup.json';
export const DATABASE_FILE = 'ioc.duckdb';
export const TOKENS_FILE = 'tokens.json';

/** What a backup may hold: the database, the tokens, archive files. Never absolute, never `..`, no hidden segment. */
export const BackupFileName = z
  .string()
  .max(300)
  .regex(
    /^(?:ioc\.duckdb|tokens\.json|archive(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+\.parquet)$/,
    'must be ioc.duckdb, tokens.json or archive/<table>/<file>.parquet',
  );

const StreamPosition = z.strictObject({
  /** The JetStream stream the engine consumed. */
  name: z.string().min(1),
  /** Its durable consumer at the time of the backup (a restored replica may use another). */
  consumer: z.string().min(1),
  /** Every stream sequence up to this one is in the database (more may be: those come again and are deduplicated). */
  seq: z.number().int().min(0),
});

export const Manifest = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  /** When the snapshot's transaction began (ISO 8601). */
  createdAt: z.iso.datetime({ offset: true }),
  files: z
    .array(
      z.strictObject({
        name: BackupFileName,
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .min(1)
    .refine((files) => files.some((f) => f.name === DATABASE_FILE), `must list ${DATABASE_FILE}`)
    .refine((files) => new Set(files.map((f) => f.name)).size === files.length, 'must not list a file twice'),
  /** Rows per table of the snapshot: a restore checks them. */
  tables: z.array(z.strictObject({ name: z.string().min(1), rows: z.number().int().min(0) })),
  /** Null when the engine read no durable stream (MQTT or HTTP only): nothing can be replayed after a restore. */
  stream: StreamPosition.nullable(),
  /** A replica's place in the command stream: people's changes up to it are in the database; a restore replays the rest. */
  commands: StreamPosition.nullable().default(null),
  tookMs: z.number().min(0),
});
export type Manifest = z.infer<typeof Manifest>;
export type BackupPosition = z.infer<typeof StreamPosition>;

/** Room a snapshot needs beyond the size of the database it copies. */
const SPARE_BYTES = 64 * 1024 * 1024;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The archive's Parquet files, relative to it; files being written (`.tmp`) and hidden ones are left out. */
function archiveFiles(root: string, under = root): string[] {
  if (!existsSync(under)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(under, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(under, entry.name);
    if (entry.isDirectory()) out.push(...archiveFiles(root, path));
    else if (entry.isFile() && entry.name.endsWith('.parquet')) out.push(relative(root, path).split(sep).join('/'));
  }
  return out.sort();
}

/** A hard link costs no space and no time, and retention replaces archive files by renaming, never in place. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await unlink(from);
  }
}

/** Snapshot files DuckDB writes in the archive folder (the one folder it may write) before they move out. */
export const SNAPSHOT_PREFIX = '.backup-';

/**
 * Writes a snapshot into `dir` (made here): the database as one transaction saw it, the archive, the tokens, and the
 * manifest. `position` must be read before the call: everything up to it was committed before the snapshot began.
 */
export async function takeSnapshot(
  store: Store,
  dir: string,
  options: { position: BackupPosition | null; commands: BackupPosition | null; tokensFile: string | null },
): Promise<Manifest> {
  const started = performance.now();
  const createdAt = new Date().toISOString();
  const dbBytes =
    store.path === ':memory:'
      ? 0
      : statSync(store.path).size + (existsSync(`${store.path}.wal`) ? statSync(`${store.path}.wal`).size : 0);
  const free = freeBytes(store.archiveDir);
  if (free < dbBytes + SPARE_BYTES)
    throw new EngineError(
      'unavailable',
      `not enough free space for a backup in ${store.archiveDir}: ${free} bytes free, about ${dbBytes + SPARE_BYTES} needed`,
    );
  await mkdir(dir, { recursive: true });
  // DuckDB may write only under the archive folder (allowed_directories): the copy is made there, then moved.
  const alias = `snapshot_${randomBytes(8).toString('hex')}`;
  const snapshotPath = join(store.archiveDir, `${SNAPSHOT_PREFIX}${alias}.duckdb`);
  const conn = await store.db.connect();
  let tables: Manifest['tables'];
  try {
    const [{ name } = { name: '' }] = await conn.objects<{ name: string }>('SELECT current_database() AS name');
    await conn.run(`ATTACH ${sqlString(snapshotPath)} AS ${alias}`);
    try {
      // One statement, one transaction: every table as of the same moment, while commits go on beside it.
      await conn.run(`COPY FROM DATABASE "${name.replaceAll('"', '""')}" TO ${alias}`);
      const names = await conn.objects<{ table_name: string }>(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = '${alias}' AND NOT temporary ORDER BY table_name`,
      );
      // One statement for all the counts: each one alone would wait its turn behind the commits going on.
      const quoted = (t: string) => `'${t.replaceAll("'", "''")}'`;
      tables = names.length
        ? (
            await conn.objects<{ name: string; n: number }>(
              names
                .map(
                  ({ table_name: t }) =>
                    `SELECT ${quoted(t)} AS name, count(*)::BIGINT AS n FROM ${alias}.main."${t.replaceAll('"', '""')}"`,
                )
                .join(' UNION ALL '),
            )
          )
            .map((r) => ({ name: r.name, rows: Number(r.n) }))
            .sort((a, b) => a.name.localeCompare(b.name))
        : [];
    } finally {
      await conn.run(`DETACH ${alias}`);
    }
  } catch (err) {
    await rm(snapshotPath, { force: true });
    await rm(`${snapshotPath}.wal`, { force: true });
    throw err;
  } finally {
    conn.close();
  }
  // DETACH checkpoints the copy into its one file; a WAL left beside it would be a copy not wholly written.
  if (existsSync(`${snapshotPath}.wal`)) {
    await rm(snapshotPath, { force: true });
    await rm(`${snapshotPath}.wal`, { force: true });
    throw new EngineError(
      'internal',
      'the snapshot was not written out whole (its WAL remained): try the backup again',
    );
  }
  await moveFile(snapshotPath, join(dir, DATABASE_FILE));
  const names = [DATABASE_FILE];
  if (options.tokensFile && existsSync(options.tokensFile)) {
    await copyFile(options.tokensFile, join(dir, TOKENS_FILE));
    names.push(TOKENS_FILE);
  }
  // After the database: retention archives a day before deleting it, so a day deleted after the snapshot began is in
  // the archive copied now (a day in both is merged again by the next retention run).
  for (const rel of archiveFiles(store.archiveDir)) {
    const name = `archive/${rel}`;
    if (!BackupFileName.safeParse(name).success) continue;
    await linkOrCopy(join(store.archiveDir, rel), join(dir, name));
    names.push(name);
  }
  const files: Manifest['files'] = [];
  for (const name of names) {
    const path = join(dir, name);
    files.push({ name, bytes: statSync(path).size, sha256: await sha256File(path) });
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    createdAt,
    files,
    tables,
    stream: options.position,
    commands: options.commands,
    tookMs: Math.round(performance.now() - started),
  };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Reads and checks a manifest; every problem named. */
export function parseManifest(text: string, where: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EngineError('bad_request', `${where} is not JSON: ${(err as Error).message}`);
  }
  const parsed = Manifest.safeParse(value);
  if (!parsed.success)
    throw new EngineError(
      'bad_request',
      `${where} is not a backup manifest of format ${BACKUP_FORMAT}: ${parsed.error.issues
        .map((i) => `${i.path.length ? `field "${i.path.join('.')}"` : 'manifest'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}
