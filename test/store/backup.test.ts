// Backups of a running engine: a consistent snapshot while events keep arriving, served to admins only and by the
// manifest's names only; `ioc backup` downloads it, `ioc restore` puts it back into another data folder and checks it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, restoreCommand } from '../../bin/backup.ts';
import { authenticate, TokenStore, type AccessEnv } from '../../engine/access/index.ts';
import { Database } from '../../engine/db.ts';
import { createLogger } from '../../engine/log.ts';
import { backupRoutes } from '../../engine/serve/backup.ts';
import { onError } from '../../engine/serve/errors.ts';
import { Backups } from '../../engine/store/backups.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { camera } from '../support/events.ts';

const log = createLogger('silent');
let engine: TestEngine;
let backups: Backups;
let app: Hono<AccessEnv>;
let server: Server;
let url: string;
let admin: string;
let analyst: string;
const scratch = mkdtempSync(join(tmpdir(), 'ioc-backup-test-'));

const ndjson = (from: number, n: number): string =>
  Array.from({ length: n }, (_, k) =>
    JSON.stringify(camera(from + k, { id: `bk-${from + k}`, ts: new Date(Date.now() - 3_600_000 + k).toISOString() })),
  ).join('\n');

const request = (method: string, path: string, token?: string) =>
  app.request(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  engine = await startTestEngine();
  const tokens = TokenStore.inDataDir(engine.dir);
  admin = tokens.create('backup-admin', 'admin');
  analyst = tokens.create('backup-analyst', 'analyst');
  backups = await Backups.open(
    engine.store,
    {
      root: join(engine.dir, 'backups'),
      // A stream position as the JetStream source reports it.
      sources: [{ position: () => ({ stream: 'CITY', consumer: 'ioc-engine', ackFloor: 41 }) }],
      tokensFile: tokens.file,
    },
    log,
  );
  app = new Hono<AccessEnv>();
  app.onError(onError(log));
  app.use('*', authenticate({ enabled: true, tokens }));
  app.route('/api/backup', backupRoutes(backups));
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  expect((await engine.post('/api/ingest?family=camera', ndjson(0, 5000))).status).toBe(200);
  // An archived day, as retention writes it (DuckDB may write only there).
  const conn = await engine.store.db.connect();
  mkdirSync(join(engine.store.archiveDir, 'camera_events'), { recursive: true });
  await conn.run(
    `COPY (SELECT 1 AS x) TO '${join(engine.store.archiveDir, 'camera_events', '2026-01-01.parquet')}' (FORMAT parquet)`,
  );
  conn.close();
  writeFileSync(join(engine.store.archiveDir, 'camera_events', '2026-01-02.parquet.tmp'), 'half written');
});

afterAll(async () => {
  server?.close();
  await backups?.close();
  await engine?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

describe('POST /api/backup on a running engine', () => {
  it('copies the database as of one moment while commits go on, with the archive, tokens and stream position', async () => {
    let sending = true;
    let sent = 5000;
    const feeding = (async () => {
      while (sending) {
        const r = await engine.post('/api/ingest?family=camera', ndjson(sent, 500));
        if (r.status === 200) sent += 500;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const res = await request('POST', '/api/backup', admin);
    const stoppedAt = sent;
    sending = false;
    await feeding;
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    const m = body.manifest;
    expect(m.stream).toEqual({ name: 'CITY', consumer: 'ioc-engine', seq: 41 });
    expect(m.files.map((f: any) => f.name).sort()).toEqual([
      'archive/camera_events/2026-01-01.parquet',
      'ioc.duckdb',
      'tokens.json',
    ]);
    const rows = m.tables.find((t: any) => t.name === 'camera_events').rows;
    // Batches are whole (500 per request) and nothing committed before the request is missing.
    expect(rows).toBeGreaterThanOrEqual(5000);
    expect(rows % 500).toBe(0);
    expect(rows).toBeLessThanOrEqual(stoppedAt + 500);
    // What the snapshot holds is what the manifest says, byte for byte.
    const db = await request('GET', `/api/backup/${body.id}/ioc.duckdb`, admin);
    expect(db.status).toBe(200);
    const bytes = Buffer.from(await db.arrayBuffer());
    const entry = m.files.find((f: any) => f.name === 'ioc.duckdb');
    expect(bytes.length).toBe(entry.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    const copy = join(scratch, 'snapshot.duckdb');
    writeFileSync(copy, bytes);
    const opened = await Database.open(copy);
    const conn = await opened.connect();
    const [row] = await conn.objects<{ n: number; ids: number }>(
      "SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM camera_events WHERE id LIKE 'bk-%'",
    );
    conn.close();
    opened.close();
    expect(row).toEqual({ n: rows, ids: rows });
    console.log(`snapshot of ${rows} camera rows while ingesting: ${m.tookMs} ms, ${bytes.length} bytes`);
    expect((await request('DELETE', `/api/backup/${body.id}`, admin)).status).toBe(200);
    expect(existsSync(join(engine.dir, 'backups', body.id))).toBe(false);
  });

  it('serves the files to admins only, by the names in the manifest only', async () => {
    const res = await request('POST', '/api/backup', admin);
    const { id } = (await res.json()) as { id: string };
    const other = 'f'.repeat(32);
    const cases: [string, string, string | undefined, number][] = [
      ['POST', '/api/backup', undefined, 401],
      ['POST', '/api/backup', analyst, 403],
      ['POST', '/api/backup', 'ioc_forged', 401],
      ['GET', `/api/backup/${id}/ioc.duckdb`, undefined, 401],
      ['GET', `/api/backup/${id}/ioc.duckdb`, analyst, 403],
      ['DELETE', `/api/backup/${id}`, analyst, 403],
      ['GET', `/api/backup/${id}/backup.json`, admin, 200],
      ['GET', `/api/backup/${id}/tokens.json`, admin, 200],
      ['GET', `/api/backup/${other}/ioc.duckdb`, admin, 404],
      ['GET', `/api/backup/${id.toUpperCase()}/ioc.duckdb`, admin, 400],
      ['GET', `/api/backup/${id}/%2e%2e%2f%2e%2e%2ftokens.json`, admin, 400],
      ['GET', `/api/backup/${id}/archive%2f..%2f..%2fioc.duckdb.wal`, admin, 400],
      ['GET', `/api/backup/${id}/archive/..%2f..%2f..%2ftokens.json`, admin, 400],
      ['GET', `/api/backup/${id}/%2fetc%2fpasswd`, admin, 400],
      ['GET', `/api/backup/${id}/archive/camera_events/2026-01-02.parquet`, admin, 404],
      ['GET', `/api/backup/${id}/archive/camera_events/2026-01-01.parquet`, admin, 200],
      ['GET', `/api/backup/${id}/ioc.duckdb.wal`, admin, 400],
      ['GET', `/api/backup/${id}/${'a/'.repeat(400)}x.parquet`, admin, 400],
    ];
    for (const [method, path, token, status] of cases)
      expect({ method, path, status: (await request(method, path, token)).status }).toEqual({ method, path, status });
    const manifest = (await (await request('GET', `/api/backup/${id}/backup.json`, admin)).json()) as any;
    expect(manifest.format).toBe(1);
    expect((await request('DELETE', `/api/backup/${id}`, admin)).status).toBe(200);
    expect((await request('GET', `/api/backup/${id}/backup.json`, admin)).status).toBe(404);
    expect((await request('DELETE', `/api/backup/${id}`, admin)).status).toBe(404);
  });

  it('keeps at most two backups waiting for download', async () => {
    const a = (await (await request('POST', '/api/backup', admin)).json()) as { id: string };
    const b = (await (await request('POST', '/api/backup', admin)).json()) as { id: string };
    const third = await request('POST', '/api/backup', admin);
    expect(third.status).toBe(429);
    expect(((await third.json()) as any).error.message).toMatch(/wait for download/);
    for (const { id } of [a, b]) expect((await request('DELETE', `/api/backup/${id}`, admin)).status).toBe(200);
  });
});

describe('ioc backup and ioc restore', () => {
  const quiet = async (run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const o = process.stdout.write.bind(process.stdout);
    const e = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      return { code: await run(), out: out.join(''), err: err.join('') };
    } finally {
      process.stdout.write = o;
      process.stderr.write = e;
    }
  };
  const env = { PATH: process.env.PATH, LOG_LEVEL: 'silent' };

  it('downloads a backup, restores it into an empty folder, and refuses to overwrite or to use a damaged one', async () => {
    const dir = join(scratch, 'b1');
    const ok = await quiet(() => backupCommand([dir, '--url', url, '--token', admin], env));
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/3 files.*stream CITY up to sequence 41/);
    expect(existsSync(join(dir, 'backup.json'))).toBe(true);
    // The engine's copy is gone once downloaded.
    expect(existsSync(join(engine.dir, 'backups')) ? readdirSync(join(engine.dir, 'backups')) : []).toEqual([]);

    expect((await quiet(() => backupCommand([dir, '--url', url, '--token', admin], env))).code).toBe(2);
    const denied = await quiet(() => backupCommand([join(scratch, 'b2'), '--url', url, '--token', analyst], env));
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/403 role analyst may not use POST \/api\/backup/);

    const target = join(scratch, 'restored');
    const restored = await quiet(() => restoreCommand([dir, '--data-dir', target], env));
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(
      /no JetStream consumer is configured .* nothing after sequence 41 of CITY will be replayed/,
    );
    expect(readFileSync(join(target, 'tokens.json'), 'utf8')).toBe(
      readFileSync(join(engine.dir, 'tokens.json'), 'utf8'),
    );
    expect(existsSync(join(target, 'archive', 'camera_events', '2026-01-01.parquet'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'backup.json'), 'utf8'));
    const db = await Database.open(join(target, 'ioc.duckdb'));
    const conn = await db.connect();
    const [row] = await conn.objects<{ n: number }>('SELECT count(*)::INTEGER AS n FROM camera_events');
    conn.close();
    db.close();
    expect(row!.n).toBe(manifest.tables.find((t: any) => t.name === 'camera_events').rows);

    const again = await quiet(() => restoreCommand([dir, '--data-dir', target], env));
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/the data folder is in use: .*ioc\.duckdb.*--force/);
    writeFileSync(join(target, 'ioc.duckdb.wal'), 'a WAL of another database');
    expect((await quiet(() => restoreCommand([dir, '--data-dir', target, '--force'], env))).code).toBe(0);
    expect(existsSync(join(target, 'ioc.duckdb.wal'))).toBe(false);

    // The running engine's own folder, from another process as `ioc restore` runs: the engine's lock on its database
    // refuses the restore before anything is touched.
    // (Never read the engine's file here: closing any descriptor of it would drop this process's lock on it.)
    const before = statSync(join(engine.dir, 'ioc.duckdb')).ino;
    const busy = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const script = `import { restoreCommand } from ${JSON.stringify(new URL('../../bin/backup.ts', import.meta.url).pathname)}; process.exit(await restoreCommand(${JSON.stringify([dir, '--data-dir', engine.dir, '--force'])}));`;
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { env: { ...env, NODE_OPTIONS: '' } },
        (_e, _out, err) => resolve({ code: _e ? ((_e as { code?: number }).code ?? null) : 0, err }),
      );
    });
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/lock.*nothing was restored/is);
    expect(statSync(join(engine.dir, 'ioc.duckdb')).ino).toBe(before);

    const db2 = readFileSync(join(dir, 'ioc.duckdb'));
    db2.writeUInt8(db2.readUInt8(db2.length - 1) ^ 0xff, db2.length - 1);
    writeFileSync(join(dir, 'ioc.duckdb'), db2);
    const damaged = await quiet(() => restoreCommand([dir, '--data-dir', join(scratch, 'r2')], env));
    expect(damaged.code).toBe(1);
    expect(damaged.err).toMatch(/damaged: ioc\.duckdb does not match its SHA-256/);
    expect(existsSync(join(scratch, 'r2', 'ioc.duckdb'))).toBe(false);
  });

  it('refuses a manifest that names files outside the backup', async () => {
    const dir = join(scratch, 'evil');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'backup.json'),
      JSON.stringify({
        format: 1,
        createdAt: new Date().toISOString(),
        files: [
          { name: 'ioc.duckdb', bytes: 0, sha256: '0'.repeat(64) },
          { name: '../../etc/cron.d/x', bytes: 0, sha256: '0'.repeat(64) },
        ],
        tables: [],
        stream: null,
        tookMs: 1,
      }),
    );
    const r = await quiet(() => restoreCommand([dir, '--data-dir', join(scratch, 'r3')], env));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/field "files.1.name": must be ioc.duckdb, tokens.json or archive/);
  });
});
