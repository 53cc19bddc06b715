// A real engine with the PostgreSQL door on a free port, some camera events in it, and the real clients' command lines.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { ConfigInput } from '../../engine/config.ts';
import { TokenStore } from '../../engine/access/index.ts';
import { camera } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { freePort } from '../support/ports.ts';

export interface DoorEngine extends TestEngine {
  pgPort: number;
  tokens: TokenStore;
}

/** Midnight UTC today: the events' times, recent enough for the raw tables' retention, and known to the tests. */
export const BASE = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');

/** Starts an engine with the door and `cameras` camera events committed (at BASE + i seconds). */
export async function startDoorEngine(overrides: Partial<ConfigInput> = {}, cameras = 50): Promise<DoorEngine> {
  const pgPort = await freePort();
  const engine = await startTestEngine({ pgPort, ...overrides });
  if (cameras > 0) {
    const events = Array.from({ length: cameras }, (_, i) =>
      camera(i, { ts: new Date(BASE.getTime() + i * 1000).toISOString() }),
    );
    const admin: Record<string, string> = engine.auth
      ? { authorization: `Bearer ${TokenStore.inDataDir(engine.dir).create('loader', 'admin')}` }
      : {};
    const res = await engine.post('/api/ingest?family=camera', events, admin);
    if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
    await until(
      async () => {
        await engine.settle();
        return engine.store.reader.query('SELECT count(*) FROM camera_events').then((r) => Number(r.rows[0]![0]));
      },
      (n) => n === cameras,
    );
  }
  return Object.assign(engine, { pgPort, tokens: TokenStore.inDataDir(engine.dir) });
}

export interface PsqlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** psql (Debian's postgresql-client) with no psqlrc, never prompting; each -c is one simple-protocol query. */
export async function psql(
  port: number,
  commands: string[],
  opts: { password?: string; conninfo?: string; user?: string; script?: boolean } = {},
): Promise<PsqlRun> {
  const args = ['-X', '-w', '-v', 'VERBOSITY=verbose'];
  args.push(opts.conninfo ?? `host=127.0.0.1 port=${port} user=${opts.user ?? 'analyst'} dbname=ioc`);
  // `-c` takes SQL or backslash commands, not both; a script file mixes them (`SELECT … \gdesc`).
  if (opts.script) {
    const file = join(mkdtempSync(join(tmpdir(), 'ioc-psql-')), 'script.sql');
    writeFileSync(file, `${commands.join('\n')}\n`);
    args.push('-f', file);
  } else for (const c of commands) args.push('-c', c);
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10', PGSSLMODE: 'prefer' };
  delete env.PGPASSWORD;
  if (opts.password !== undefined) env.PGPASSWORD = opts.password;
  try {
    const { stdout, stderr } = await promisify(execFile)('psql', args, { env, timeout: 60_000, maxBuffer: 256 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The test file's engine, started before its tests and stopped after them; `client`: a pg client connected to it. */
export function doorEngineForTests(
  overrides: Partial<ConfigInput> = {},
  cameras = 50,
  withClient = false,
): { engine: DoorEngine; client: pg.Client } {
  const ref = {} as { engine: DoorEngine; client: pg.Client };
  beforeAll(async () => {
    ref.engine = await startDoorEngine(overrides, cameras);
    if (withClient) {
      ref.client = new pg.Client({ host: '127.0.0.1', port: ref.engine.pgPort, user: 'analyst', database: 'ioc' });
      await ref.client.connect();
    }
  }, 60_000);
  afterAll(async () => {
    await ref.client?.end();
    await ref.engine?.dispose();
  });
  return ref;
}
