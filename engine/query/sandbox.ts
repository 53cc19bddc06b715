// The analysts' SQL: one read statement per request on connections of their own, time-limited, capped, queued and audited.
import { randomUUID } from 'node:crypto';
import {
  toJson,
  type Connection,
  type Database,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type Params,
} from '../db.ts';
import type { Role } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import { Audit, AUDIT_TABLE, createAuditTable } from './audit.ts';
import { mayReadTable } from '../schema/index.ts';
import { readCatalog, type Catalog } from './catalog.ts';
import { readsShared } from './guard.ts';
import { ParquetWriter } from './parquet.ts';
import { typeName, type ResultStream } from './result-stream.ts';
import { Pool, type Lease } from './pool.ts';
import { SAVED_TABLE, SavedQueries } from './saved.ts';
import { Serial } from './serial.ts';
import { shareView } from './shares.ts';
import { sqlError } from './sql-error.ts';
import { checkStatement, prepareChecked, type Explain } from './statement.ts';

interface SqlColumn {
  name: string;
  type: string;
}
interface SqlAnswer {
  queryId: string;
  columns: SqlColumn[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
  /** Present when the analysts' copy could not catch up within half the time limit: the time the answer's data is as of. */
  staleAsOf?: string;
}

/** The longest an analyst's query waits for the copy to catch up: a step takes milliseconds unless a flood is being copied. */
const CATCH_UP_WAIT_MS = 5_000;

export interface SandboxOptions {
  timeoutMs: number;
  maxRows: number;
  /** Time limit of a download (CSV, Parquet, Arrow), which has no row cap. */
  exportTimeoutMs?: number;
  concurrency?: number;
  queue?: number;
  /** True while ingestion is behind: new analyst queries then wait for it, at most `deferMs` (see pool.ts). */
  behind?: () => boolean;
  deferMs?: number;
  /** Called with the table after the sandbox writes its own records (audit rows, saved queries) to the engine's database. */
  onRecords?: (table: string) => void;
  /** Awaited before each query: brings what analysts read up to what the engine has committed (the replica's catch-up). */
  fresh?: () => Promise<void>;
  /** When the data analysts read was taken from the engine's database (ms since the epoch): said with a stale answer. */
  asOf?: () => number;
}

export interface RunOptions {
  /** The token's name ('anonymous' with AUTH off): the audit records it, and cancels and shared tables follow it. */
  who?: string;
  /**
   * The caller's role: the tables it may read (restricted families' only by their readers) and its share of the
   * shared ones (sql_audit whole for admins, others their own rows). Default admin (AUTH off).
   */
  role?: Role;
  /** Run EXPLAIN (or EXPLAIN ANALYZE) of the checked statement instead of the statement. */
  explain?: Explain;
  /** A client-chosen id so the query can be cancelled while it runs. */
  queryId?: string;
  params?: Params;
  /** A lower row cap than SQL_MAX_ROWS, e.g. for a wall tile. */
  maxRows?: number;
  signal?: AbortSignal;
  /** Runs the engine makes on its own schedule (wall tiles) are not analysts' queries and are not audited. */
  audit?: boolean;
}

/** Connections kept beyond the concurrency, to stand in for ones whose query is still stopping. */
const SPARE_CONNECTIONS = 2;
/**
 * Connections made before the configuration is locked, to replace ones spent by a failed query: only then can they
 * still be set to report errors as JSON (with positions). Past these, replacements report plain messages.
 */
const RESERVE_CONNECTIONS = 4;

export class Sandbox {
  private readonly running = new Map<string, Lease>();
  private readonly catalogSerial = new Serial();
  private parquetWriter: Promise<ParquetWriter> | null = null;

  private constructor(
    private readonly pool: Pool,
    private readonly admin: Connection,
    /** Reads the catalog of the instance analysts query (the replica's tables, as they see them). */
    private readonly catalogConn: Connection,
    private readonly serial: Serial,
    private readonly audit: Audit,
    readonly saved: SavedQueries,
    readonly opts: Required<SandboxOptions>,
    /** The database's catalog name, for naming its tables past the temporary views (see shareView). */
    private readonly catalogName: string,
  ) {}

  /** The audit and saved-query tables, in the engine's database (the replica copies them for analysts to read). */
  static async createTables(conn: Connection): Promise<void> {
    await createAuditTable(conn);
    await SavedQueries.createTable(conn);
  }

  /**
   * Opens the analysts' connections on `db` (the analysts' replica, or the engine's own database in tests of the
   * sandbox alone), keeps its audit and saved queries in `records` (the engine's database), then locks both
   * instances' configuration: from then on no statement on any connection can change a setting.
   */
  static async open(db: Database, options: SandboxOptions, records: Database = db): Promise<Sandbox> {
    const opts: Required<SandboxOptions> = {
      exportTimeoutMs: 300_000,
      concurrency: 1,
      queue: 16,
      behind: () => false,
      deferMs: 2_000,
      onRecords: () => undefined,
      fresh: async () => undefined,
      asOf: () => Date.now(),
      ...options,
    };
    const conns: Connection[] = [];
    for (let i = 0; i < opts.concurrency + SPARE_CONNECTIONS + RESERVE_CONNECTIONS; i++) {
      const conn = await db.connect();
      // Errors as JSON carry DuckDB's position in the SQL text, so the console can point at it.
      await conn.run('SET errors_as_json = true');
      conns.push(conn);
    }
    const reserve = conns.splice(opts.concurrency + SPARE_CONNECTIONS);
    const catalog = await db.connect();
    const admin = await records.connect();
    await Sandbox.createTables(admin);
    await db.lockConfiguration();
    if (records !== db) await records.lockConfiguration();
    const serial = new Serial();
    const pool = new Pool(conns, {
      concurrency: opts.concurrency,
      queue: opts.queue,
      behind: opts.behind,
      deferMs: opts.deferMs,
      renew: async () => reserve.pop() ?? db.connect(),
    });
    const catalogName = String((await catalog.query('SELECT current_database()')).rows[0]![0]);
    return new Sandbox(
      pool,
      admin,
      catalog,
      serial,
      new Audit(admin, serial, () => opts.onRecords(AUDIT_TABLE)),
      new SavedQueries(admin, serial, () => opts.onRecords(SAVED_TABLE)),
      opts,
      catalogName,
    );
  }

  /** The number of the last audit row written: the replica copies the audit up to it. */
  get auditWritten(): number {
    return this.audit.written;
  }

  get stats(): { running: number; queued: number; idle: number; deferred: number; renewed: number } {
    return { ...this.pool.stats, deferred: this.pool.deferred, renewed: this.pool.renewed };
  }

  /** Runs one read statement and answers with at most `maxRows` rows (truncated says whether there were more). */
  async run(sql: string, o: RunOptions = {}): Promise<SqlAnswer> {
    const maxRows = Math.min(o.maxRows ?? this.opts.maxRows, this.opts.maxRows);
    return this.execute(sql, o, 'json', this.opts.timeoutMs, async (prepared, queryId, staleAsOf) => {
      const reader = await prepared.streamAndReadUntil(maxRows + 1);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => ({ name, type: typeName(types[i]!) }));
      const rows = reader.getRowsJS().map((row) => row.map(toJson));
      const truncated = rows.length > maxRows;
      if (truncated) rows.length = maxRows;
      const answer: SqlAnswer = { queryId, columns, rows, rowCount: rows.length, truncated, elapsedMs: 0 };
      if (staleAsOf !== null) answer.staleAsOf = new Date(staleAsOf).toISOString();
      return { result: answer, rows: rows.length };
    });
  }

  /**
   * Streams one read statement's whole result to `sink` (no row cap; the download time limit applies), which
   * returns how many rows it wrote.
   */
  async stream<T>(
    sql: string,
    o: RunOptions,
    format: string,
    sink: (result: ResultStream) => Promise<{ result: T; rows: number }>,
  ): Promise<T> {
    return this.execute(sql, o, format, this.opts.exportTimeoutMs, async (prepared, _id, staleAsOf) => {
      const result = await prepared.stream();
      const types = result.columnTypes();
      const columns = result.columnNames().map((name, i) => ({ name, type: types[i]! }));
      return sink({
        columns,
        staleAsOf,
        async *chunks() {
          for (;;) {
            const chunk = await result.fetchChunk();
            if (!chunk || chunk.rowCount === 0) return;
            yield chunk;
          }
        },
      });
    });
  }

  /**
   * The columns and parameters of one read statement, checked as `run` checks it but not run: what a PostgreSQL
   * client's Describe of a prepared statement asks before it has values for the parameters. Not audited: nothing ran.
   */
  async describe(
    sql: string,
    o: RunOptions = {},
  ): Promise<{ columns: { name: string; type: DuckDBType }[]; params: DuckDBType[] }> {
    const { params: _values, ...rest } = o;
    return this.execute(
      sql,
      { ...rest, audit: false },
      'describe',
      this.opts.timeoutMs,
      async (prepared) => {
        const columns = Array.from({ length: prepared.columnCount }, (_, i) => ({
          name: prepared.columnName(i),
          type: prepared.columnType(i),
        }));
        const params = Array.from({ length: prepared.parameterCount }, (_, i) => prepared.parameterType(i + 1));
        return { result: { columns, params }, rows: 0 };
      },
      false,
    );
  }

  /** Writes the whole result to a Parquet file for download; the caller removes the file once sent. */
  async parquet(sql: string, o: RunOptions): Promise<{ file: string; rows: number; staleAsOf: number | null }> {
    this.parquetWriter ??= ParquetWriter.open();
    const writer = await this.parquetWriter;
    return this.stream(sql, o, 'parquet', async (result) => {
      const out = await writer.write(result);
      return { result: { ...out, staleAsOf: result.staleAsOf }, rows: out.rows };
    });
  }

  /**
   * Interrupts a running query of `who` by its id; an admin may stop anyone's. False when `who` has no such query, so
   * another analyst's ids are neither stoppable nor confirmed.
   */
  cancel(queryId: string, who: string, admin = false): boolean {
    const own = this.running.get(runningKey(who, queryId));
    const lease =
      own ?? (admin ? [...this.running.entries()].find(([k]) => k.endsWith(`\0${queryId}`))?.[1] : undefined);
    if (!lease) return false;
    lease.stop('cancelled');
    return true;
  }

  /** The tables and views `role` may read (default admin: all of them). */
  async catalog(role: Role = 'admin'): Promise<Catalog> {
    const all = await this.catalogSerial.run(() => readCatalog(this.catalogConn));
    return { tables: all.tables.filter((t) => mayReadTable(t.name, role)) };
  }

  /**
   * Waits for the analysts' copy to hold what the engine committed, for at most half the query's time limit (the wait
   * counts within it) and never more than CATCH_UP_WAIT_MS. A copy still catching up then (a step copying a flood of
   * rows) is read as it stands: the answer comes stale, saying as of when, rather than not at all. Answers null when
   * the copy caught up.
   */
  private async caughtUp(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, Math.min(CATCH_UP_WAIT_MS, Math.floor(timeoutMs / 2)), false);
    });
    try {
      const done = await Promise.race([this.opts.fresh().then(() => true), late]);
      return done ? null : this.opts.asOf();
    } finally {
      clearTimeout(timer);
    }
  }

  private async execute<T>(
    sql: string,
    o: RunOptions,
    format: string,
    timeoutMs: number,
    /** `staleAsOf`: when the data read was taken, if the copy had not caught up (ms since the epoch), else null. */
    work: (
      prepared: DuckDBPreparedStatement,
      queryId: string,
      staleAsOf: number | null,
    ) => Promise<{ result: T; rows: number }>,
    /** False for a describe: parameters without values are what it reports, not a mistake. */
    needsValues = true,
  ): Promise<T> {
    const queryId = o.queryId ?? randomUUID();
    const who = o.who ?? 'anonymous';
    const key = runningKey(who, queryId);
    const started = performance.now();
    const at = Date.now();
    let rows: number | null = null;
    try {
      if (this.running.has(key))
        throw new EngineError('bad_request', `you already have a query with id "${queryId}" running`);
      const staleAsOf = await this.caughtUp(timeoutMs);
      const out = await this.pool.run(
        Math.max(1, timeoutMs - (performance.now() - started)),
        async (lease) => {
          const conn = lease.conn;
          // Defence in depth: even a statement the checks misjudged cannot write the database from here.
          await conn.run('BEGIN TRANSACTION READ ONLY');
          let prepared: DuckDBPreparedStatement | null = null;
          try {
            const role = o.role ?? 'admin';
            const facts = await checkStatement(conn, sql, role);
            for (const table of readsShared(facts))
              await shareView(conn, `${quoteIdent(this.catalogName)}.main.${table}`, table, { who, role });
            prepared = await prepareChecked(conn, sql, o.explain);
            if (o.params) bindParams(prepared, o.params);
            else if (needsValues && prepared.parameterCount > 0)
              throw new EngineError(
                'bad_request',
                `the statement has ${prepared.parameterCount} parameter(s) ($name); send them in field "params"`,
              );
            return await work(prepared, queryId, staleAsOf);
          } catch (err) {
            const e = err instanceof EngineError ? err : sqlError(err, sql);
            if (e.code === 'too_large' || e.code === 'timeout') lease.spent = true;
            throw e;
          } finally {
            prepared?.destroySync();
            await conn.run('ROLLBACK').catch(() => undefined);
          }
        },
        (lease) => {
          if (lease) this.running.set(key, lease);
          else this.running.delete(key);
        },
        o.signal,
      );
      rows = out.rows;
      const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
      if (out.result && typeof out.result === 'object' && 'elapsedMs' in out.result)
        (out.result as { elapsedMs: number }).elapsedMs = elapsedMs;
      this.record(o, { queryId, who, at, sql, format, durationMs: elapsedMs, rows, status: 'ok', error: null });
      return out.result;
    } catch (err) {
      const e = err instanceof EngineError ? err : sqlError(err, sql);
      this.record(o, {
        queryId,
        who,
        at,
        sql,
        format,
        durationMs: performance.now() - started,
        rows,
        status: e.code,
        error: e.message,
      });
      throw e;
    }
  }

  private record(o: RunOptions, entry: Parameters<Audit['record']>[0]): void {
    if (o.audit === false) return;
    // The answer does not wait for its audit row; a failed write must not turn a good answer into an error.
    this.audit.record(entry).catch(() => undefined);
  }

  /** Waits for pending audit writes (tests read the table right after a query). */
  flushAudit(): Promise<void> {
    return this.serial.run(async () => undefined);
  }

  /** Stops running queries and waits for DuckDB to release their connections: closing under a running query is unsafe. */
  async close(): Promise<void> {
    await this.pool.close();
    await this.serial.run(async () => undefined);
    await this.catalogSerial.run(async () => undefined);
    this.admin.close();
    this.catalogConn.close();
    const writer = await this.parquetWriter?.catch(() => null);
    writer?.close();
  }
}

/** Running queries are kept per caller, so one analyst's ids neither collide with nor reveal another's. */
function runningKey(who: string, queryId: string): string {
  return `${who}\0${queryId}`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Binds `$name` parameters as text or numbers; DuckDB casts them to what the statement expects. */
function bindParams(prepared: DuckDBPreparedStatement, params: Params): void {
  for (let i = 1; i <= prepared.parameterCount; i++) {
    const name = prepared.parameterName(i);
    if (!(name in params)) throw new EngineError('bad_request', `parameter $${name} has no value; send it in "params"`);
    const v = params[name];
    if (v === null || v === undefined) prepared.bindNull(i);
    else if (typeof v === 'boolean') prepared.bindBoolean(i, v);
    else if (typeof v === 'number') prepared.bindDouble(i, v);
    else prepared.bindVarchar(i, v);
  }
}
