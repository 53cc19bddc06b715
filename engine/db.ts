// The DuckDB instance: the only module that imports @duckdb/node-api. Connections, bulk columnar appends, JSON-friendly results.
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  TIMESTAMPTZ,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBResultReader,
} from '@duckdb/node-api';
import { EngineError } from './errors.ts';
import { ARGS_TABLE, type Bindings } from './sql/params.ts';
import type { Cell, SqlType } from './schema/index.ts';

export type Params = Record<string, string | number | boolean | null>;
interface Column {
  name: string;
  type: string;
}
export interface QueryResult {
  columns: Column[];
  rows: unknown[][];
}

const CHUNK = 2048;
const ARGS_SETUP = `CREATE TEMP TABLE IF NOT EXISTS ${ARGS_TABLE} (k INTEGER, ts TIMESTAMPTZ, n BIGINT, s VARCHAR)`;
/** Rows a scratch table lets through before it is made anew (see `emptyScratch`): some megabytes held at most. */
const SCRATCH_ROWS = 100_000;
const ARGS_TYPES = [INTEGER, TIMESTAMPTZ, BIGINT, VARCHAR];
/** Plans a connection keeps for its repeated statements; the least recently used one goes past this. */
const MAX_PLANS = 256;

/** Staging columns carry plain JS values only: times as epoch ms (DOUBLE), JSON as text. */
const STAGE_TYPE: Record<SqlType, DuckDBType> = {
  VARCHAR,
  DOUBLE,
  INTEGER,
  BOOLEAN,
  TIMESTAMPTZ: DOUBLE,
  JSON: VARCHAR,
};

/** Every connection reads and prints TIMESTAMPTZ in Hanoi time (UTC+7, no daylight saving). */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export class Database {
  private zoneSet = false;
  private constructor(
    readonly instance: DuckDBInstance,
    readonly path: string,
  ) {}

  static async open(path: string, options: Record<string, string> = {}): Promise<Database> {
    try {
      const instance = await DuckDBInstance.create(path, options);
      return new Database(instance, path);
    } catch (err) {
      const msg = (err as Error).message;
      const hint = /lock/i.test(msg)
        ? ' (another engine process holds this DuckDB file: stop it, or set DATA_DIR to another folder)'
        : '';
      throw new EngineError('unavailable', `cannot open DuckDB at ${path}: ${msg}${hint}`, { cause: err });
    }
  }

  async connect(): Promise<Connection> {
    const conn = await this.instance.connect();
    // Set once for the whole instance: once the analysts' sandbox locks the configuration, a SET would fail.
    if (!this.zoneSet) {
      await conn.run(`SET GLOBAL TimeZone = '${TIME_ZONE}'`);
      this.zoneSet = true;
    }
    return new Connection(conn);
  }

  /** From here on no connection can change a setting (SET, RESET, PRAGMA); connections made earlier keep their own. */
  async lockConfiguration(): Promise<void> {
    const conn = await this.connect();
    try {
      await conn.run('SET GLOBAL lock_configuration = true');
    } finally {
      conn.close();
    }
  }

  /** What this instance holds in memory, by DuckDB's tags (buffer pool, in-memory tables, hash tables…), above zero. */
  async memory(): Promise<{ tag: string; bytes: number }[]> {
    // A connection of its own, closed after: a scrape must not wait behind the statements of the engine's connections.
    const conn = await this.instance.connect();
    try {
      const reader = await conn.runAndReadAll(
        'SELECT tag, memory_usage_bytes::DOUBLE AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0',
      );
      return reader.getRowObjectsJS().map((r) => ({ tag: String(r['tag']), bytes: Number(r['bytes']) }));
    } finally {
      conn.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}

export class Connection {
  /**
   * The engine's own statements that repeat (a commit's, a tick's), planned once by their text. DuckDB takes 1–40 ms
   * to bind and plan one of them (VN_AQI's expanded macros: 40 of its 50 ms), and a quiet city runs a hundred a
   * second: kept plans take about an eighth of a core off `rest.cpu_pct`. DuckDB re-binds a kept plan when the
   * catalog changes; that it never bakes in the tables' contents is what `disabled_optimizers` in store/open.ts is for.
   */
  private readonly plans = new Map<string, { stmt: DuckDBPreparedStatement; busy: boolean }>();
  /** Planned statements with arguments take turns: the arguments table is the connection's own. */
  private turn: Promise<unknown> = Promise.resolve();
  /** The arguments last written, so a statement run again with the same ones does not write them again. */
  private lastArgs: string | null = null;
  /** Whether the arguments table exists: a rolled-back transaction may have taken it with it. */
  private argsTable = false;
  /** Rows emptied out of each of this connection's scratch tables since it was last made anew. */
  private readonly scratchRows = new Map<string, number>();

  constructor(readonly raw: DuckDBConnection) {}

  /** `run`, from a plan kept for this text: for statements whose text repeats, with what varies in `args`. */
  async runPlanned(sql: string, args?: Bindings): Promise<number> {
    const result = await this.planned(sql, args, (p) => p.run());
    return Number(result.rowsChanged);
  }

  /** `query`, from a plan kept for this text. */
  async queryPlanned(sql: string, args?: Bindings): Promise<QueryResult> {
    return toResult(await this.planned(sql, args, (p) => p.runAndReadAll()));
  }

  /** `objects`, from a plan kept for this text. */
  async objectsPlanned<T = Record<string, unknown>>(sql: string, args?: Bindings): Promise<T[]> {
    return asObjects<T>(await this.queryPlanned(sql, args));
  }

  private planned<T>(
    sql: string,
    args: Bindings | undefined,
    run: (p: DuckDBPreparedStatement) => Promise<T>,
  ): Promise<T> {
    if (!args || args.values.length === 0) return this.execute(sql, run);
    const next = this.turn.then(async () => {
      try {
        await this.writeArgs(args);
        return await this.execute(sql, run);
      } catch (err) {
        this.lastArgs = null;
        this.argsTable = false;
        throw err;
      }
    });
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async writeArgs(args: Bindings): Promise<void> {
    const json = JSON.stringify(args.values);
    if (json === this.lastArgs) return;
    this.lastArgs = null;
    if (!this.argsTable) await this.raw.run(ARGS_SETUP);
    this.argsTable = true;
    await this.emptyScratch(ARGS_TABLE);
    // Through an appender rather than an INSERT of the values as JSON: that one was planned again at every write (its
    // text binds them), and a quiet city writes arguments forty times a second (measured: 2.3 ms a write, now 1.1).
    await this.appendChunks(
      ARGS_TABLE,
      (add) => {
        for (let start = 0; start < args.values.length; start += CHUNK) {
          const part = args.values.slice(start, start + CHUNK);
          const chunk = DuckDBDataChunk.create(ARGS_TYPES, part.length);
          chunk.setColumnValues(
            0,
            part.map((_, k) => start + k),
          );
          chunk.setColumnValues(
            1,
            part.map((v) => (v.ts === null ? null : new DuckDBTimestampTZValue(BigInt(Math.round(v.ts * 1000))))),
          );
          chunk.setColumnValues(
            2,
            part.map((v) => (v.n === null ? null : BigInt(v.n))),
          );
          chunk.setColumnValues(
            3,
            part.map((v) => v.s),
          );
          add(chunk);
        }
      },
      true,
    );
    this.lastArgs = json;
  }

  /**
   * Empties a temporary table that the connection fills again and again (a commit's staging, a tick's states, the
   * statements' arguments). DuckDB holds a temporary table's deleted rows in memory for as long as the table lives
   * (a DELETE, TRUNCATE, CHECKPOINT or VACUUM frees none of it), so a table emptied after every commit grew by every row
   * it ever held, gigabytes a week: once `SCRATCH_ROWS` have gone through it, it is made anew with the same columns.
   * Kept plans that read it are bound again by DuckDB at their next run.
   */
  async emptyScratch(table: string): Promise<void> {
    const rows =
      (this.scratchRows.get(table) ?? 0) + (await this.execute(`DELETE FROM ${table}`, (p) => p.run())).rowsChanged;
    if (rows < SCRATCH_ROWS) {
      this.scratchRows.set(table, rows);
      return;
    }
    await this.raw.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM temp.${table} LIMIT 0`);
    this.scratchRows.set(table, 0);
  }

  private async execute<T>(sql: string, run: (p: DuckDBPreparedStatement) => Promise<T>): Promise<T> {
    let entry = this.plans.get(sql);
    if (!entry) {
      const stmt = await this.raw.prepare(sql);
      entry = this.plans.get(sql);
      if (entry) stmt.destroySync();
      else {
        entry = { stmt, busy: false };
        this.forgetOldest();
      }
    }
    this.plans.delete(sql); // re-inserted: the map's order is the order of use
    this.plans.set(sql, entry);
    // One execution per plan at a time; another caller of the same text meanwhile plans it for itself.
    if (entry.busy) {
      const own = await this.raw.prepare(sql);
      try {
        return await run(own);
      } finally {
        own.destroySync();
      }
    }
    entry.busy = true;
    try {
      return await run(entry.stmt);
    } catch (err) {
      this.plans.delete(sql);
      entry.stmt.destroySync();
      throw err;
    } finally {
      entry.busy = false;
    }
  }

  private forgetOldest(): void {
    if (this.plans.size < MAX_PLANS) return;
    for (const [sql, e] of this.plans) {
      if (e.busy) continue;
      this.plans.delete(sql);
      e.stmt.destroySync();
      return;
    }
  }

  async run(sql: string, params?: Params): Promise<number> {
    const result = await this.raw.run(sql, values(params));
    return Number(result.rowsChanged);
  }

  async query(sql: string, params?: Params): Promise<QueryResult> {
    const reader = await this.raw.runAndReadAll(sql, values(params));
    return toResult(reader);
  }

  /** Rows as objects with JSON-friendly values; for small internal reads. */
  async objects<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    return asObjects<T>(await this.query(sql, params));
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.raw.run('BEGIN TRANSACTION');
    try {
      const out = await work();
      await this.raw.run('COMMIT');
      return out;
    } catch (err) {
      await this.raw.run('ROLLBACK').catch(() => undefined);
      // The arguments written inside it, and the table if it was made there, are gone with it.
      this.lastArgs = null;
      this.argsTable = false;
      throw err;
    }
  }

  /**
   * Appends columns (same length each) to a staging table through data chunks: the fastest bulk path
   * the node API offers (about twice the row appender, see bench/append.ts).
   */
  async appendColumns(
    table: string,
    types: readonly SqlType[],
    columns: readonly Cell[][],
    rowCount: number,
  ): Promise<void> {
    if (rowCount === 0) return;
    await this.appendChunks(table, (add) => {
      const chunk = DuckDBDataChunk.create(
        types.map((t) => STAGE_TYPE[t]),
        CHUNK,
      );
      for (let start = 0; start < rowCount; start += CHUNK) {
        const end = Math.min(rowCount, start + CHUNK);
        chunk.rowCount = end - start;
        for (let c = 0; c < columns.length; c++) {
          const col = columns[c]!;
          chunk.setColumnValues(c, (start === 0 && end === col.length ? col : col.slice(start, end)) as DuckDBValue[]);
        }
        add(chunk);
      }
    });
  }

  /**
   * Appends the chunks `fill` hands over to a table (a temporary one when `temp`), flushed together. When anything
   * fails, the appender's buffered rows are dropped before it is closed: closed or collected with rows still buffered,
   * DuckDB's appender flushes them, into a table its caller may have emptied since (the analysts' replica then applied
   * a failed copy's rows beside their next copy).
   */
  async appendChunks(
    table: string,
    fill: (add: (chunk: DuckDBDataChunk) => void) => Promise<void> | void,
    temp = false,
  ): Promise<void> {
    const appender = await (temp ? this.raw.createAppender(table, 'main', 'temp') : this.raw.createAppender(table));
    let flushed = false;
    try {
      await fill((chunk) => appender.appendDataChunk(chunk));
      appender.flushSync();
      flushed = true;
    } finally {
      if (flushed) appender.closeSync();
      else {
        try {
          appender.clear();
        } catch {
          // The failure that brought us here is the one to report.
        }
        try {
          appender.closeSync();
        } catch {
          // Likewise.
        }
      }
    }
  }

  interrupt(): void {
    this.raw.interrupt();
  }

  close(): void {
    for (const e of this.plans.values()) e.stmt.destroySync();
    this.plans.clear();
    this.raw.closeSync();
  }
}

const values = (params?: Params) => params as Record<string, DuckDBValue> | undefined;

function asObjects<T>({ columns, rows }: QueryResult): T[] {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i]])) as T);
}

export function stageType(t: SqlType): string {
  return t === 'TIMESTAMPTZ' ? 'DOUBLE' : t === 'JSON' ? 'VARCHAR' : t;
}

/** The SQL that turns a staging column back into its stored type. */
export function fromStage(name: string, t: SqlType): string {
  switch (t) {
    case 'TIMESTAMPTZ':
      return `epoch_ms(${name}::BIGINT) AT TIME ZONE 'UTC'`;
    case 'JSON':
      return `${name}::JSON`;
    default:
      return name;
  }
}

function toResult(reader: DuckDBResultReader): QueryResult {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = names.map((name, i) => ({ name, type: types[i]!.toString() }));
  const rows = reader.getRowsJS().map((row) => row.map(toJson));
  return { columns, rows };
}

/** DuckDB's JS values → what JSON can carry without losing meaning. */
export function toJson(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return String(value);
}

export { StatementType } from '@duckdb/node-api';
// The analysts' sandbox and the Arrow encoder read result chunks and their types directly.
export { DuckDBTypeId, JSDuckDBValueConverter } from '@duckdb/node-api';
export type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
  DuckDBDecimalType,
  DuckDBListType,
  DuckDBStructType,
  DuckDBMapType,
  DuckDBArrayType,
} from '@duckdb/node-api';
