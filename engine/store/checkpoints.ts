// Checkpoints only when the disk can take them. DuckDB writes a commit to its WAL first; a WAL write that finds the
// disk full fails that commit alone (the WAL is cut back, the engine retries), but a checkpoint that finds it full
// invalidates the whole database instance until the process restarts. DuckDB checkpoints by itself inside whichever
// commit takes the WAL past `checkpoint_threshold`, so that is turned off here and this job checkpoints instead, only
// while the free space covers what a checkpoint may write. On a full disk the WAL simply stops growing: commits fail,
// nothing is acknowledged, and everything resumes once space returns.
import { existsSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';
import type { Store } from './open.ts';

export interface CheckpointOptions {
  /** A checkpoint is due once the WAL is this large (DuckDB's own threshold is 16 MiB). */
  walBytes?: number;
  /** … and runs only while the free space is at least `reserveFactor` × the WAL plus `reserveBytes`. */
  reserveFactor?: number;
  reserveBytes?: number;
  /** How often the WAL and the free space are looked at. */
  everyMs?: number;
}

export interface CheckpointStats {
  checkpoints: number;
  /** Checkpoints due but put off for want of space, since the last one that ran. */
  deferred: number;
  failures: number;
  walBytes: number;
  freeBytes: number;
  lastCheckpointAt: number | null;
}

/** Free bytes for an unprivileged writer on the file system holding `path` (a folder, or a file's folder). */
export function freeBytes(path: string): number {
  const s = statfsSync(existsSync(path) && statSync(path).isDirectory() ? path : dirname(path));
  return Number(s.bavail) * Number(s.bsize);
}

const BUSY = /other write transactions active/i;
const BUSY_TRIES = 5;
const BUSY_WAIT_MS = 20;

const DEFAULTS: Required<CheckpointOptions> = {
  walBytes: 16 * 1024 * 1024,
  reserveFactor: 2,
  reserveBytes: 64 * 1024 * 1024,
  everyMs: 1000,
};

/**
 * Takes checkpoints over from DuckDB for a file-backed store (an in-memory one has none). Call it before the
 * configuration is locked (the analysts' sandbox locks it): it changes `checkpoint_threshold`.
 */
export async function guardCheckpoints(
  store: Store,
  log: Logger,
  options: CheckpointOptions = {},
): Promise<{ readonly stats: CheckpointStats; check(): Promise<void>; stop(): Promise<void> }> {
  const opts = { ...DEFAULTS, ...options };
  const stats: CheckpointStats = {
    checkpoints: 0,
    deferred: 0,
    failures: 0,
    walBytes: 0,
    freeBytes: 0,
    lastCheckpointAt: null,
  };
  if (store.path === ':memory:') return { stats, check: async () => undefined, stop: async () => undefined };
  const conn = await store.db.connect();
  // 1 TiB: never reached by one commit, so DuckDB never checkpoints on its own.
  await conn.run("SET GLOBAL checkpoint_threshold = '1TiB'");
  const wal = `${store.path}.wal`;
  let running: Promise<void> | null = null;
  let warned = false;
  const once = async (): Promise<void> => {
    stats.walBytes = existsSync(wal) ? statSync(wal).size : 0;
    stats.freeBytes = freeBytes(store.path);
    if (stats.walBytes < opts.walBytes) return;
    const needed = opts.reserveFactor * stats.walBytes + opts.reserveBytes;
    if (stats.freeBytes < needed) {
      stats.deferred++;
      if (!warned)
        log.warn('disk nearly full: checkpoints wait for space (the WAL keeps the commits meanwhile)', {
          freeBytes: stats.freeBytes,
          neededBytes: needed,
          walBytes: stats.walBytes,
          dir: dirname(store.path),
        });
      warned = true;
      return;
    }
    // A checkpoint needs a moment without a write transaction (a batch, a tick): a few tries a few ms apart find one,
    // else the next look does. FORCE CHECKPOINT would abort them instead.
    for (let attempt = 0; attempt < BUSY_TRIES; attempt++) {
      try {
        await conn.run('CHECKPOINT');
      } catch (err) {
        if (BUSY.test((err as Error).message)) {
          await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
          continue;
        }
        stats.failures++;
        log.error('checkpoint failed', { err });
        return;
      }
      stats.checkpoints++;
      stats.lastCheckpointAt = Date.now();
      if (warned) log.info('checkpoints resume: the disk has room again', { freeBytes: stats.freeBytes });
      warned = false;
      stats.deferred = 0;
      return;
    }
  };
  const check = (): Promise<void> => {
    running ??= once()
      .catch((err: unknown) => log.warn('cannot read the WAL size or the free space', { err }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void check(), opts.everyMs);
  timer.unref();
  return {
    stats,
    check,
    async stop() {
      clearInterval(timer);
      await running;
      conn.close();
    },
  };
}
