// One running statement of a portal: the sandbox streams its chunks, and each Execute takes rows from them as DataRows
// until its row count (pg-cursor's fetch size) or the end, so a suspended portal holds a chunk, not a result.
import type { DuckDBDataChunk } from '../db.ts';
import type { RunOptions, Sandbox } from '../query/index.ts';
import type { PgColumn } from './backend.ts';
import { pgType } from './types.ts';

export interface Fetched {
  rows: number;
  /** The result has no more rows (or the cap stopped it): the portal is complete. */
  done: boolean;
  /** The door's row cap (PG_MAX_ROWS) cut the result. */
  capped: boolean;
}

interface Demand {
  max: number;
  write: (rows: Buffer[]) => Promise<void>;
  resolve: (f: Fetched) => void;
  reject: (err: unknown) => void;
}

/** Rows encoded per write: a few hundred KiB per socket write, so a fetch of a million rows never sits whole in memory. */
const ROWS_PER_WRITE = 2048;

export class Cursor {
  readonly columns: Promise<PgColumn[]>;
  private demand: Demand | null = null;
  private wake: (() => void) | null = null;
  /** When the data read was taken, if the analysts' copy had not caught up (ms since the epoch): said in a notice. */
  staleAsOf: number | null = null;
  private closed = false;
  private failure: unknown = null;
  private sent = 0;
  readonly finished: Promise<void>;

  constructor(
    sandbox: Sandbox,
    sql: string,
    o: RunOptions,
    private readonly cap: number,
    private readonly dataRow: (cells: (string | null)[]) => Buffer,
  ) {
    let gotColumns: (c: PgColumn[]) => void = () => undefined;
    let noColumns: (err: unknown) => void = () => undefined;
    this.columns = new Promise((resolve, reject) => {
      gotColumns = resolve;
      noColumns = reject;
    });
    this.columns.catch(() => undefined);
    this.finished = sandbox
      .stream(sql, o, 'pg', async (result) => {
        const columns = result.columns.map((c) => ({ name: c.name, type: pgType(c.type) }));
        this.staleAsOf = result.staleAsOf;
        gotColumns(columns);
        const rows = await this.serve(result.chunks()[Symbol.asyncIterator](), columns);
        return { result: undefined, rows };
      })
      .then(
        () => undefined,
        (err: unknown) => {
          this.failure = err;
          this.closed = true;
          noColumns(err);
          this.demand?.reject(err);
          this.demand = null;
          this.wake?.();
        },
      );
  }

  /** Sends up to `max` rows (0: all) through `write`; settles when they are written. */
  fetch(max: number, write: (rows: Buffer[]) => Promise<void>): Promise<Fetched> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve({ rows: 0, done: true, capped: false });
    return new Promise<Fetched>((resolve, reject) => {
      this.demand = { max, write, resolve, reject };
      this.wake?.();
    });
  }

  /** Ends the statement (the portal is closed, the client went away): the sandbox releases its connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.finished;
  }

  private waitForDemand(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
      if (this.demand || this.closed) this.wake();
    });
  }

  /** Runs inside the sandbox's stream: hands out rows as Executes ask for them, until the end or a close. */
  private async serve(chunks: AsyncIterator<DuckDBDataChunk>, columns: PgColumn[]): Promise<number> {
    let chunk: DuckDBDataChunk | null = null;
    let offset = 0;
    let exhausted = false;
    for (;;) {
      await this.waitForDemand();
      const demand = this.demand;
      if (this.closed || !demand) return this.sent;
      this.demand = null;
      const want = demand.max > 0 ? demand.max : Number.POSITIVE_INFINITY;
      let given = 0;
      let capped = false;
      try {
        let batch: Buffer[] = [];
        while (given < want) {
          if (this.sent >= this.cap) {
            capped = !exhausted && (await this.hasMore(chunks, chunk, offset));
            exhausted = true;
            break;
          }
          if (!chunk || offset >= chunk.rowCount) {
            const next = await chunks.next();
            if (next.done) {
              exhausted = true;
              break;
            }
            chunk = next.value;
            offset = 0;
          }
          const take = Math.min(chunk.rowCount - offset, want - given, this.cap - this.sent, ROWS_PER_WRITE);
          batch = batch.concat(this.encode(chunk, offset, take, columns));
          offset += take;
          given += take;
          this.sent += take;
          if (batch.length >= ROWS_PER_WRITE) {
            await demand.write(batch);
            batch = [];
          }
        }
        if (batch.length > 0) await demand.write(batch);
        // A fetch that ends exactly at the last row learns of the end only at the next fetch, as PostgreSQL's does.
        demand.resolve({ rows: given, done: exhausted, capped });
      } catch (err) {
        demand.reject(err);
        throw err;
      }
      if (exhausted) return this.sent;
    }
  }

  private async hasMore(
    chunks: AsyncIterator<DuckDBDataChunk>,
    chunk: DuckDBDataChunk | null,
    offset: number,
  ): Promise<boolean> {
    if (chunk && offset < chunk.rowCount) return true;
    return !(await chunks.next()).done;
  }

  private encode(chunk: DuckDBDataChunk, from: number, count: number, columns: PgColumn[]): Buffer[] {
    const vectors = columns.map((_, i) => chunk.getColumnVector(i));
    const out: Buffer[] = [];
    for (let r = from; r < from + count; r++) {
      const cells: (string | null)[] = [];
      for (let c = 0; c < columns.length; c++) {
        const v = vectors[c]!.getItem(r);
        cells.push(v === null ? null : columns[c]!.type.text(v));
      }
      out.push(this.dataRow(cells));
    }
    return out;
  }
}
