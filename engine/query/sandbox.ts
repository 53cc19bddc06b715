// The analysts' SQL: one read statement per request on its own connection, with a time limit and a row cap.
import { StatementType, toResult, type Connection, type Database, type QueryResult } from '../db.ts';
import { EngineError } from '../errors.ts';

export interface SqlAnswer extends QueryResult { rowCount: number; truncated: boolean; elapsedMs: number }
export interface SandboxOptions { timeoutMs: number; maxRows: number }

const READ_TYPES = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN]);

export class Sandbox {
  private constructor(private readonly conn: Connection, private readonly opts: SandboxOptions) {}

  static async open(db: Database, opts: SandboxOptions): Promise<Sandbox> {
    return new Sandbox(await db.connect(), opts);
  }

  /** Runs one read-only statement; anything else is refused before it runs. */
  async run(sql: string): Promise<SqlAnswer> {
    const started = performance.now();
    const raw = this.conn.raw;
    let extracted;
    try {
      extracted = await raw.extractStatements(sql);
    } catch (err) {
      throw new EngineError('sql_error', (err as Error).message, { cause: err });
    }
    if (extracted.count === 0) throw new EngineError('bad_request', 'field "sql" holds no statement');
    if (extracted.count > 1) throw new EngineError('forbidden_sql', `field "sql" holds ${extracted.count} statements; send one statement per request`);
    let prepared;
    try {
      prepared = await extracted.prepare(0);
    } catch (err) {
      throw new EngineError('sql_error', (err as Error).message, { cause: err });
    }
    if (!READ_TYPES.has(prepared.statementType)) {
      throw new EngineError('forbidden_sql', `only read statements (SELECT, WITH, VALUES, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE, PIVOT) are allowed; this is ${StatementType[prepared.statementType] ?? 'another kind of statement'}`);
    }
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; raw.interrupt(); }, this.opts.timeoutMs);
    try {
      const reader = await prepared.streamAndReadUntil(this.opts.maxRows + 1);
      const result = toResult(reader);
      const truncated = result.rows.length > this.opts.maxRows;
      if (truncated) result.rows.length = this.opts.maxRows;
      return { ...result, rowCount: result.rows.length, truncated, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (err) {
      if (timedOut) throw new EngineError('timeout', `query stopped after the time limit of ${this.opts.timeoutMs} ms (SQL_TIMEOUT_MS)`, { cause: err });
      throw new EngineError('sql_error', (err as Error).message, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.conn.close();
  }
}
