// The analysts' connections: a few running at once, a bounded queue, and a time limit whose answer never waits on DuckDB.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';

export interface PoolOptions {
  /** Analyst queries running at once (each may use every DuckDB thread). */
  concurrency: number;
  /** Queries allowed to wait for a turn; one more is answered 429. */
  queue: number;
  /**
   * True while ingestion is behind (its batches pile up): a new query then waits for it to catch up, at most
   * `deferMs`, so a stream of analyst scans cannot keep the cores from the commits and the wall.
   */
  behind?: () => boolean;
  deferMs?: number;
  /**
   * A fresh connection for one that ran out of memory or was interrupted: closing the old one is what frees what
   * DuckDB still holds for a failed query.
   */
  renew?: () => Promise<Connection>;
}

/** How often a query held back for ingestion looks again. */
const RECHECK_MS = 50;

/** How long an interrupted query gets to stop before its connection is set aside and the answer goes out anyway. */
const STOP_GRACE_MS = 1_000;

interface Waiter {
  resolve: (conn: Connection) => void;
  reject: (err: Error) => void;
  since: number;
  heldBack: boolean;
}

export type StopReason = 'timeout' | 'cancelled';

/**
 * A running query's handle: `stop()` interrupts DuckDB. A query stuck inside one uninterruptible call keeps its
 * connection until DuckDB returns, but frees its turn, so others are not held up behind it.
 */
export class Lease {
  stopped: StopReason | null = null;
  /** Set when the query failed in a way that may leave memory held on the connection (out of memory, interrupt). */
  spent = false;
  constructor(
    readonly conn: Connection,
    private readonly onStop: () => void,
  ) {}
  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.conn.interrupt();
    this.onStop();
  }
}

export class Pool {
  private readonly idle: Connection[];
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly busy = new Map<Promise<unknown>, Lease>();
  private recheck: ReturnType<typeof setInterval> | null = null;
  /** Queries that started late because ingestion was behind (for tests and metrics). */
  deferred = 0;
  /** Connections replaced after a query ran out of memory or was stopped (for tests and metrics). */
  renewed = 0;
  private renewing = 0;
  private closed = false;

  /** `conns` holds more connections than `concurrency`: the spares stand in for ones still stopping. */
  constructor(
    conns: readonly Connection[],
    private readonly opts: PoolOptions,
  ) {
    this.idle = [...conns];
  }

  get stats(): { running: number; queued: number; idle: number } {
    return { running: this.running, queued: this.waiting.length, idle: this.idle.length };
  }

  /**
   * Runs `work` on a connection of its own within `timeoutMs` (queueing counts too). The promise settles at the
   * limit or at a cancel even if DuckDB has not stopped yet; `onLease` hands the lease out so a cancel can find it.
   */
  async run<T>(
    timeoutMs: number,
    work: (lease: Lease) => Promise<T>,
    onLease?: (lease: Lease | null) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    const conn = await this.acquire(timeoutMs, signal);
    let turnHeld = true;
    const freeTurn = (): void => {
      if (!turnHeld) return;
      turnHeld = false;
      this.running--;
      this.wake();
    };
    let stopped: () => void = () => undefined;
    const stoppedEarly = new Promise<never>((_, reject) => {
      stopped = () => {
        // Give DuckDB a moment to honour the interrupt; past that, answer without it.
        setTimeout(
          () =>
            reject(
              new EngineError(
                lease.stopped === 'cancelled' ? 'cancelled' : 'timeout',
                stopMessage(lease.stopped, timeoutMs),
              ),
            ),
          STOP_GRACE_MS,
        ).unref();
      };
    });
    const lease = new Lease(conn, () => stopped());
    onLease?.(lease);
    const timer = setTimeout(() => lease.stop('timeout'), Math.max(0, deadline - Date.now()));
    const onAbort = (): void => lease.stop('cancelled');
    signal?.addEventListener('abort', onAbort);
    stoppedEarly.catch(() => undefined);
    const job = work(lease);
    // The connection goes back only once DuckDB has really finished with it.
    const settled = job.then(
      () => this.release(conn, lease),
      () => this.release(conn, lease),
    );
    this.busy.set(settled, lease);
    void settled.then(() => this.busy.delete(settled));
    try {
      return await Promise.race([job, stoppedEarly]);
    } catch (err) {
      if (lease.stopped) {
        throw new EngineError(
          lease.stopped === 'cancelled' ? 'cancelled' : 'timeout',
          stopMessage(lease.stopped, timeoutMs),
          { cause: err },
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      onLease?.(null);
      freeTurn();
    }
  }

  private acquire(timeoutMs: number, signal?: AbortSignal): Promise<Connection> {
    if (
      this.running < this.opts.concurrency &&
      this.idle.length > 0 &&
      this.waiting.length === 0 &&
      !this.opts.behind?.()
    ) {
      this.running++;
      return Promise.resolve(this.idle.pop()!);
    }
    // A connection being renewed is back in milliseconds: wait for it rather than refuse.
    if (
      this.running < this.opts.concurrency &&
      this.idle.length === 0 &&
      this.renewing === 0 &&
      this.waiting.length === 0 &&
      !this.opts.behind?.()
    ) {
      return Promise.reject(
        new EngineError(
          'unavailable',
          'every sandbox connection is still stopping an earlier query; try again in a few seconds',
        ),
      );
    }
    if (this.waiting.length >= this.opts.queue) {
      return Promise.reject(
        new EngineError(
          'busy',
          `${this.running} analyst queries are running and ${this.waiting.length} are waiting (SQL_CONCURRENCY, SQL_QUEUE); try again shortly`,
        ),
      );
    }
    return new Promise<Connection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (conn) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(conn);
        },
        reject: (err) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
        since: Date.now(),
        heldBack: false,
      };
      const leave = (err: EngineError): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        waiter.reject(err);
      };
      const timer = setTimeout(
        () =>
          leave(
            new EngineError(
              'busy',
              `waited ${timeoutMs} ms for a turn behind other analyst queries; try again shortly`,
            ),
          ),
        timeoutMs,
      );
      const onAbort = (): void => leave(new EngineError('cancelled', 'query cancelled while it waited for its turn'));
      signal?.addEventListener('abort', onAbort);
      this.waiting.push(waiter);
      this.wake();
    });
  }

  private release(conn: Connection, lease: Lease): void {
    const renew = this.opts.renew;
    if (!renew || (!lease.spent && !lease.stopped) || this.closed) {
      this.idle.push(conn);
      this.wake();
      return;
    }
    conn.close();
    this.renewing++;
    void renew()
      .then(
        (fresh) => {
          this.renewed++;
          if (this.closed) fresh.close();
          else this.idle.push(fresh);
        },
        () => undefined,
      )
      .finally(() => {
        this.renewing--;
        this.wake();
      });
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.running < this.opts.concurrency && this.idle.length > 0) {
      const first = this.waiting[0]!;
      if (this.opts.behind?.() && Date.now() - first.since < (this.opts.deferMs ?? 0)) {
        // Ingestion first: look again shortly, and start anyway once the query has waited deferMs.
        first.heldBack = true;
        this.recheck ??= setInterval(() => this.wake(), RECHECK_MS);
        return;
      }
      if (first.heldBack) this.deferred++;
      this.running++;
      this.waiting.shift()!.resolve(this.idle.pop()!);
    }
    if (
      this.recheck &&
      (this.waiting.length === 0 || this.running >= this.opts.concurrency || this.idle.length === 0)
    ) {
      clearInterval(this.recheck);
      this.recheck = null;
    }
  }

  /** Stops what runs, waits (a bounded time) for DuckDB to let go of each connection, then closes them. */
  async close(waitMs = 5_000): Promise<void> {
    this.closed = true;
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
    for (const w of this.waiting.splice(0)) w.reject(new EngineError('unavailable', 'the engine is stopping'));
    for (const lease of this.busy.values()) lease.stop('cancelled');
    const timeout = new Promise((resolve) => setTimeout(resolve, waitMs).unref());
    await Promise.race([Promise.allSettled([...this.busy.keys()]), timeout]);
    for (const c of this.idle.splice(0)) c.close();
  }
}

function stopMessage(reason: StopReason | null, timeoutMs: number): string {
  return reason === 'cancelled' ? 'query cancelled' : `query stopped after the time limit of ${timeoutMs} ms`;
}
