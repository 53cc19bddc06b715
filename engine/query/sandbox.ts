// The analysts' SQL: one read statement per request on connections of their own, time-limited, capped, queued and audited.
import { randomUUID } from 'node:crypto';
import {
  StatementType, toJson,
  type Connection, type Database, type DuckDBDataChunk, type DuckDBPreparedStatement, type DuckDBType, type Params,
} from '../db.ts';
import { EngineError } from '../errors.ts';
import { Audit, createAuditTable } from './audit.ts';
import { readCatalog, type Catalog } from './catalog.ts';
import { checkFunctions, leadingKeyword, tokenize } from './guard.ts';
import { ParquetWriter } from './parquet.ts';
import { Pool, type Lease } from './pool.ts';
import { SavedQueries } from './saved.ts';
import { Serial } from './serial.ts';
import { sqlError } from './sql-error.ts';

export interface SqlColumn { name: string; type: string }
export interface SqlAnswer { queryId: string; columns: SqlColumn[]; rows: unknown[][]; rowCount: number; truncated: boolean; elapsedMs: number }

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
}

export interface RunOptions {
  /** The analyst's name once access control lands; 'anonymous' until then. */
  who?: string;
  /** A client-chosen id so the query can be cancelled while it runs. */
  queryId?: string;
  params?: Params;
  /** A lower row cap than SQL_MAX_ROWS, e.g. for a wall tile. */
  maxRows?: number;
  signal?: AbortSignal;
  /** Runs the engine makes on its own schedule (wall tiles) are not analysts' queries and are not audited. */
  audit?: boolean;
}

/** What a download sink reads: the columns with DuckDB's types, then the chunks as DuckDB produces them. */
export interface ResultStream {
  columns: { name: string; type: DuckDBType }[];
  chunks(): AsyncIterable<DuckDBDataChunk>;
}

/** Statement types an analyst may run; DESCRIBE, SHOW, SUMMARIZE, VALUES and PIVOT … IN (…) are SELECTs to DuckDB. */
const READ_TYPES = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN]);
const READ_WORDS = 'SELECT, WITH, VALUES, FROM, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE, PIVOT';
/** Connections kept beyond the concurrency, to stand in for ones whose query is still stopping. */
const SPARE_CONNECTIONS = 2;

export class Sandbox {
  private readonly running = new Map<string, Lease>();
  private parquetWriter: Promise<ParquetWriter> | null = null;

  private constructor(
    private readonly pool: Pool,
    private readonly admin: Connection,
    private readonly serial: Serial,
    private readonly audit: Audit,
    readonly saved: SavedQueries,
    readonly opts: Required<SandboxOptions>,
  ) {}

  /**
   * Opens the analysts' connections, creates the audit and saved-query tables, then locks the instance's
   * configuration: from then on no statement on any connection can change a setting.
   */
  static async open(db: Database, options: SandboxOptions): Promise<Sandbox> {
    const opts: Required<SandboxOptions> = {
      exportTimeoutMs: 300_000, concurrency: 1, queue: 16, behind: () => false, deferMs: 2_000, ...options,
    };
    const conns: Connection[] = [];
    for (let i = 0; i < opts.concurrency + SPARE_CONNECTIONS; i++) {
      const conn = await db.connect();
      // Errors as JSON carry DuckDB's position in the SQL text, so the console can point at it.
      await conn.run('SET errors_as_json = true');
      conns.push(conn);
    }
    const admin = await db.connect();
    await createAuditTable(admin);
    await SavedQueries.createTable(admin);
    await db.lockConfiguration();
    const serial = new Serial();
    const pool = new Pool(conns, { concurrency: opts.concurrency, queue: opts.queue, behind: opts.behind, deferMs: opts.deferMs });
    return new Sandbox(pool, admin, serial, new Audit(admin, serial), new SavedQueries(admin, serial), opts);
  }

  get stats(): { running: number; queued: number; idle: number; deferred: number } {
    return { ...this.pool.stats, deferred: this.pool.deferred };
  }

  /** Runs one read statement and answers with at most `maxRows` rows (truncated says whether there were more). */
  async run(sql: string, o: RunOptions = {}): Promise<SqlAnswer> {
    const maxRows = Math.min(o.maxRows ?? this.opts.maxRows, this.opts.maxRows);
    return this.execute(sql, o, 'json', this.opts.timeoutMs, async (prepared, queryId) => {
      const reader = await prepared.streamAndReadUntil(maxRows + 1);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => ({ name, type: typeName(types[i]!) }));
      const rows = reader.getRowsJS().map((row) => row.map(toJson));
      const truncated = rows.length > maxRows;
      if (truncated) rows.length = maxRows;
      return { result: { queryId, columns, rows, rowCount: rows.length, truncated, elapsedMs: 0 }, rows: rows.length };
    });
  }

  /**
   * Streams one read statement's whole result to `sink` (no row cap; the download time limit applies), which
   * returns how many rows it wrote.
   */
  async stream<T>(sql: string, o: RunOptions, format: string, sink: (result: ResultStream) => Promise<{ result: T; rows: number }>): Promise<T> {
    return this.execute(sql, o, format, this.opts.exportTimeoutMs, async (prepared) => {
      const result = await prepared.stream();
      const types = result.columnTypes();
      const columns = result.columnNames().map((name, i) => ({ name, type: types[i]! }));
      return sink({
        columns,
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

  /** Writes the whole result to a Parquet file for download; the caller removes the file once sent. */
  async parquet(sql: string, o: RunOptions): Promise<{ file: string; rows: number }> {
    this.parquetWriter ??= ParquetWriter.open();
    const writer = await this.parquetWriter;
    return this.stream(sql, o, 'parquet', async (result) => {
      const out = await writer.write(result);
      return { result: out, rows: out.rows };
    });
  }

  /** Interrupts a running query by the id its client gave; false when no such query is running. */
  cancel(queryId: string): boolean {
    const lease = this.running.get(queryId);
    if (!lease) return false;
    lease.stop('cancelled');
    return true;
  }

  catalog(): Promise<Catalog> {
    return this.serial.run(() => readCatalog(this.admin));
  }

  private async execute<T>(
    sql: string, o: RunOptions, format: string, timeoutMs: number,
    work: (prepared: DuckDBPreparedStatement, queryId: string) => Promise<{ result: T; rows: number }>,
  ): Promise<T> {
    const queryId = o.queryId ?? randomUUID();
    const started = performance.now();
    const at = Date.now();
    let rows: number | null = null;
    try {
      if (this.running.has(queryId)) throw new EngineError('bad_request', `a query with id "${queryId}" is already running`);
      checkFunctions(sql);
      const out = await this.pool.run(timeoutMs, async (lease) => {
        const prepared = await prepareRead(lease.conn, sql);
        if (o.params) bindParams(prepared, o.params);
        else if (prepared.parameterCount > 0) throw new EngineError('bad_request', `the statement has ${prepared.parameterCount} parameter(s) ($name); send them in field "params"`);
        try {
          return await work(prepared, queryId);
        } catch (err) {
          throw err instanceof EngineError ? err : sqlError(err, sql);
        }
      }, (lease) => { if (lease) this.running.set(queryId, lease); else this.running.delete(queryId); }, o.signal);
      rows = out.rows;
      const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
      if (out.result && typeof out.result === 'object' && 'elapsedMs' in out.result) (out.result as { elapsedMs: number }).elapsedMs = elapsedMs;
      this.record(o, { queryId, who: o.who ?? 'anonymous', at, sql, format, durationMs: elapsedMs, rows, status: 'ok', error: null });
      return out.result;
    } catch (err) {
      const e = err instanceof EngineError ? err : sqlError(err, sql);
      this.record(o, { queryId, who: o.who ?? 'anonymous', at, sql, format, durationMs: performance.now() - started, rows, status: e.code, error: e.message });
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
    this.admin.close();
    const writer = await this.parquetWriter?.catch(() => null);
    writer?.close();
  }
}

/**
 * Prepares `sql` if it is exactly one read statement. A PIVOT without an IN list is the one read that DuckDB expands
 * into two statements (a temporary ENUM type of the pivot values, then the SELECT), so that pair is allowed.
 */
async function prepareRead(conn: Connection, sql: string): Promise<DuckDBPreparedStatement> {
  let extracted;
  try {
    extracted = await conn.raw.extractStatements(sql);
  } catch (err) {
    throw sqlError(err, sql);
  }
  if (extracted.count === 0) throw new EngineError('bad_request', 'field "sql" holds no statement');
  const semicolons = tokenize(sql).filter((t) => t.type === 'punct' && t.text === ';');
  const trailingOnly = semicolons.length === 0 || (semicolons.length === 1 && sql.trimEnd().endsWith(';'));
  try {
    if (extracted.count === 2 && trailingOnly && ['pivot', 'select', 'with', 'from', ''].includes(leadingKeyword(sql))) {
      // The SELECT binds against the ENUM, so it can only be prepared once the type exists.
      const enumType = await extracted.prepare(0);
      if (enumType.statementType === StatementType.CREATE) {
        await enumType.run();
        const select = await extracted.prepare(1);
        if (select.statementType === StatementType.SELECT) return select;
      }
    }
    if (extracted.count > 1) throw new EngineError('forbidden_sql', `field "sql" holds ${extracted.count} statements; send one statement per request`);
    const prepared = await extracted.prepare(0);
    if (!READ_TYPES.has(prepared.statementType)) {
      throw new EngineError('forbidden_sql', `only read statements (${READ_WORDS}) are allowed; this is ${StatementType[prepared.statementType] ?? 'another kind of statement'}`);
    }
    return prepared;
  } catch (err) {
    throw err instanceof EngineError ? err : sqlError(err, sql);
  }
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

/** DuckDB's type name as analysts write it: JSON stays JSON rather than its storage type VARCHAR. */
export function typeName(t: DuckDBType): string {
  return t.alias ?? t.toString();
}
