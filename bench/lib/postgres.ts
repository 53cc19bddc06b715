// PostgreSQL 15 as a benchmark peer: a private cluster on a free loopback port in a temp folder, driven by psql.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../test/support/ports.ts';
import { ensureBinary } from './install.ts';

const BIN = '/usr/lib/postgresql/15/bin';

export class Postgres {
  private constructor(
    private readonly dir: string,
    private readonly port: number,
    private readonly asUser: string[],
  ) {}

  /** Starts a private cluster, or returns null after saying why it cannot. */
  static async start(): Promise<Postgres | null> {
    if (!ensureBinary(`${BIN}/initdb`, 'postgresql-15') || !ensureBinary('/usr/bin/psql', 'postgresql-client-15'))
      return null;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ioc-bench-pg-'));
    // The server refuses to run as root: there it runs as the package's `postgres` user.
    const root = process.getuid?.() === 0;
    if (root)
      chownSync(
        dir,
        Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout),
        Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout),
      );
    const asUser = root ? ['runuser', '-u', 'postgres', '--'] : [];
    const run = (argv: string[]) => runAs(asUser, argv);
    const port = await freePort();
    const data = path.join(dir, 'data');
    let r = run([`${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    if (r.status === 0) {
      // Settings a city's DBA would give a 2-core analytics box; durability as shipped.
      r = run([
        `${BIN}/pg_ctl`,
        '-D',
        data,
        '-l',
        path.join(dir, 'log'),
        '-w',
        '-t',
        '60',
        'start',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c max_parallel_workers_per_gather=2`,
      ]);
    }
    if (r.status !== 0) {
      process.stderr.write(
        `skipped: PostgreSQL did not start: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}\n`,
      );
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
    return new Postgres(dir, port, asUser);
  }

  /** Runs a psql script; resolves with its output (queries' rows discarded unless `keep`), rejecting on an error. */
  psql(script: string, keep = false): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'psql',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(this.port),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-X',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          ...(keep ? ['-A', '-t'] : ['-o', '/dev/null']),
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        err += s;
      });
      child.once('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`psql: ${err.trim() || `exit ${String(code)}`}`)),
      );
      child.stdin.end(script);
    });
  }

  /** Milliseconds of each run of `sql`, as psql's \timing measures them (client round trip, rows fetched). */
  async time(sql: string, runs: number): Promise<number[]> {
    const out = await this.psql(`\\timing on\n${`${sql};\n`.repeat(runs)}`);
    return [...out.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
  }

  async stop(): Promise<void> {
    runAs(this.asUser, [`${BIN}/pg_ctl`, '-D', path.join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs argv, behind `prefix` (runuser …) when there is one. */
function runAs(prefix: readonly string[], argv: readonly string[]): SpawnSyncReturns<string> {
  const all = [...prefix, ...argv];
  return spawnSync(all[0]!, all.slice(1), { encoding: 'utf8' });
}
