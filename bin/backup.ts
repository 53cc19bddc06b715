// `ioc backup <dir>`: downloads a consistent backup of a running engine. `ioc restore <dir>`: rebuilds a stopped
// engine's data folder from one, and points its JetStream consumer just past what the backup holds.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { loadConfig, type Config } from '../engine/config.ts';
import { EngineError, errorMessage } from '../engine/errors.ts';
import { BackupFileName, MANIFEST_FILE, Manifest, type BackupPosition } from '../engine/store/backup.ts';
import { readBackup, restoreFiles } from '../engine/store/restore.ts';
import { prepareRewind } from './rewind-consumer.ts';
import { commandArgs, usageError } from './command-args.ts';
import { authHeaders, engineUrl, refusal } from './engine-http.ts';
import { jetstreamManager } from '@nats-io/jetstream';
import { rewindCommands } from '../engine/cluster/index.ts';
import { NatsSourceConfig } from '../sources/nats/config.ts';
import { openConnection } from '../sources/nats/connect.ts';

export const BACKUP_USAGE = `usage: ioc backup <dir> [--url URL] [--token T]

  Downloads a consistent backup of a running engine into <dir> (new or empty): its database as of one moment,
  its Parquet archive, its tokens, and the JetStream sequence the database covers. Ingestion goes on meanwhile.
  --url URL    the engine (default: $IOC_URL, else http://127.0.0.1:$PORT, PORT 8080)
  --token T    an admin token, when the engine asks for tokens (default: $IOC_TOKEN)
`;

export const RESTORE_USAGE = `usage: ioc restore <dir> [--data-dir D] [--force]

  Rebuilds a stopped engine's data folder from a backup made by ioc backup, checking every file first. With
  NATS_URL set (JetStream), the engine's durable consumer is made again to start just after the backup's stream
  sequence, so the engine replays only what came after (what it already holds is deduplicated by id).
  --data-dir D the folder to restore into (default: DATA_DIR, ./data)
  --force      replace the database, archive and tokens an earlier engine left there (never while it runs)
`;

const BACKUP = { name: 'backup', usage: BACKUP_USAGE };
const RESTORE = { name: 'restore', usage: RESTORE_USAGE };

export async function backupCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = commandArgs(BACKUP, args, { url: { type: 'string' }, token: { type: 'string' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(BACKUP, 'give exactly one <dir>');
  const dir = resolve(positionals[0]!);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    return usageError(BACKUP, `${dir} is not empty: give a new or empty folder`);
  const base = engineUrl(values.url, env);
  const headers = authHeaders(values.token, env);
  const began = performance.now();
  let id: string | null = null;
  try {
    const res = await fetch(`${base}/api/backup`, { method: 'POST', headers });
    if (!res.ok) throw new Error(await refusal(res, 'POST /api/backup'));
    const made = (await res.json()) as { id: string; manifest: unknown };
    id = made.id;
    // The engine's word is checked like any input: names that would leave <dir> never reach the disk.
    const parsedManifest = Manifest.safeParse(made.manifest);
    if (!parsedManifest.success || !/^[0-9a-f]{32}$/.test(id))
      throw new Error(`the engine at ${base} answered an unexpected backup: ${parsedManifest.error?.message ?? id}`);
    const manifest = parsedManifest.data;
    mkdirSync(dir, { recursive: true });
    for (const f of manifest.files) {
      BackupFileName.parse(f.name);
      await download(`${base}/api/backup/${id}/${f.name}`, headers, join(dir, f.name), f);
    }
    // Written last: a folder with a manifest holds a whole backup.
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    process.stdout.write(
      `backup of ${base} in ${dir}: ${manifest.files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ` +
        `${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows; snapshot ${manifest.tookMs} ms, ` +
        `all ${((performance.now() - began) / 1000).toFixed(1)} s; ${describePosition(manifest.stream)}\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`ioc backup: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    // The engine keeps a backup until it is fetched (or for an hour): free its disk now.
    if (id) await fetch(`${base}/api/backup/${id}`, { method: 'DELETE', headers }).catch(() => undefined);
  }
}

function describePosition(p: BackupPosition | null): string {
  return p ? `stream ${p.name} up to sequence ${p.seq}` : 'no stream position (the engine read no JetStream)';
}

/** Streams one file to `<path>.part`, hashing as it goes, and renames it once its size and SHA-256 are right. */
async function download(
  url: string,
  headers: Record<string, string>,
  path: string,
  expected: { name: string; bytes: number; sha256: string },
): Promise<void> {
  const res = await fetch(url, { headers });
  if (!res.ok || !res.body) throw new Error(await refusal(res, `GET ${expected.name}`));
  mkdirSync(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const part = `${path}.part`;
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), tap, createWriteStream(part));
  const sha256 = hash.digest('hex');
  if (bytes !== expected.bytes || sha256 !== expected.sha256)
    throw new Error(`${expected.name} arrived damaged (${bytes} bytes, SHA-256 ${sha256.slice(0, 12)}…)`);
  renameSync(part, path);
}

export async function restoreCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = commandArgs(RESTORE, args, { 'data-dir': { type: 'string' }, force: { type: 'boolean' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(RESTORE, 'give exactly one <dir>');
  const force = values.force === true;
  try {
    const config = loadConfig(env, values['data-dir'] ? { dataDir: values['data-dir'], dbFile: undefined } : {});
    const dataDir = resolve(config.dataDir);
    const dbFile = config.dbFile ?? join(dataDir, 'ioc.duckdb');
    if (dbFile === ':memory:') throw new EngineError('bad_request', 'DB_FILE=:memory: keeps nothing to restore into');
    const from = resolve(positionals[0]!);
    const manifest = await readBackup(from);
    // The stream is checked before any file is touched: a restore that cannot replay what came after is refused.
    const rewind = manifest.stream ? await streamStep(config, manifest.stream, force) : null;
    if (!manifest.stream && config.natsUrl && config.natsMode === 'jetstream')
      process.stderr.write(
        `ioc restore: the backup holds no stream position; the consumer of ${config.natsStream} is left as it is\n`,
      );
    const { bytes, files } = await restoreFiles(from, manifest, { dataDir, dbFile }, force);
    const replay = rewind ? await rewind() : null;
    const commands = manifest.commands ? await rewindCommandsOf(config, manifest.commands.seq) : null;
    if (commands) process.stderr.write(`ioc restore: ${commands}\n`);
    process.stdout.write(
      `restored ${files} files (${(bytes / 1e6).toFixed(1)} MB) of the backup of ${manifest.createdAt} into ${dataDir}; ` +
        (replay ??
          (manifest.stream
            ? `no JetStream consumer is configured (NATS_URL, NATS_MODE=jetstream): nothing after sequence ${manifest.stream.seq} of ${manifest.stream.name} will be replayed`
            : 'no stream to replay')) +
        '\n',
    );
    return 0;
  } catch (err) {
    process.stderr.write(`ioc restore: ${errorMessage(err)}\n`);
    return 1;
  }
}

/** With JetStream configured: the check now, and the consumer's rewind once the files are in place. */
async function streamStep(
  config: Config,
  position: BackupPosition,
  force: boolean,
): Promise<(() => Promise<string>) | null> {
  if (!config.natsUrl || config.natsMode !== 'jetstream') return null;
  if (position.name !== config.natsStream)
    throw new EngineError(
      'bad_request',
      `the backup covers stream ${position.name}, this engine reads ${config.natsStream} (NATS_STREAM): its sequences mean nothing there`,
    );
  return prepareRewind(config, position, force);
}

/** A replica's command consumer starts again after the backup's place, so the changes made since are applied again. */
async function rewindCommandsOf(config: Config, after: number): Promise<string | null> {
  if (!config.replica || !config.natsUrl) return null;
  const { nc } = await openConnection(NatsSourceConfig.parse({ url: config.natsUrl, name: 'ioc-restore' }));
  try {
    await rewindCommands(await jetstreamManager(nc), config.replica, after);
    return `replica ${config.replica} applies the command stream again from sequence ${after + 1}`;
  } finally {
    await nc.close();
  }
}
