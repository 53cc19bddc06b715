// The analysts' replica: a DuckDB instance of its own (own memory limit, threads and spill folder) kept in step with the engine's database, so no analyst query can take memory, locks or the database itself from ingestion.
import { rmSync } from 'node:fs';
import { Database, type Connection } from '../../db.ts';
import type { Logger } from '../../log.ts';
import { BATCH_COLUMN } from '../../store/index.ts';
import { sqlString } from '../../sql/index.ts';
import { Serial } from '../serial.ts';
import { columnList, createSql, quoteIdent, readSchema, type MirroredTable } from './schema.ts';

export interface ReplicaOptions {
  /** The replica's own DuckDB file, made anew at every start ('' or ':memory:' keeps it in memory). */
  path: string;
  /** DuckDB memory limit of the analysts' instance (SQL_MEMORY_LIMIT): what their queries may hold at most. */
  memoryLimit: string;
  threads: number;
  /** Where the analysts' instance spills sorts and joins larger than its memory (null: DuckDB's default). */
  tempDir: string | null;
  /** The engine's macros, run again in the replica so its views and analysts can call them. */
  macros: readonly { file: string; sql: string }[];
  /** The rollup tables, merged by (view, t, area), or (t, area) for one without a view column. */
  rollups: readonly string[];
  /** The last batch committed to an append table (raw events, dead letters, the audit): later ones wait for the next step. */
  committed: (table: string) => number;
  /** Longest time between two steps while anything changed. */
  syncMs: number;
}

/** A table's place in the copy: the last batch (append) or update time (merge) copied, or the whole table's signature (replace). */
type Cursor = { batch: number } | { updatedMs: number } | { signature: string };

/** Longest time before a change no hook reports reaches the replica. */
const EVERYTHING_MS = 10_000;

/** Where the replica keeps what it has applied, apart from the analysts' tables. */
const META_SCHEMA = 'ioc_replica';
const CURSORS_TABLE = `${META_SCHEMA}.cursors`;

export class Replica {
  private readonly serial = new Serial();
  private readonly cursors = new Map<string, Cursor>();
  private readonly prunes: { table: string; column: string; beforeMs: number }[] = [];
  private readonly forgets: { table: string; rows: readonly { view: string; t: number; area: string }[] }[] = [];
  private dirty = true;
  /** Rollups and other tables named as changed since the last step (all of them when `everything`). */
  private readonly changed = new Set<string>();
  private everything = true;
  /**
   * A stage may still hold rows of a failed step: its clean-up can fail too (the analysts' memory still full). Such a
   * step's rows, applied with the next step's copy of the same batches, were rows counted twice.
   */
  private stagesDirty = false;
  /**
   * The cursors a failed step would have set. DuckDB can report a failure for a commit that went through (an automatic
   * checkpoint after it ran out of memory), and that step taken again was rows counted twice: the next step first reads
   * the cursors the replica stored with its rows, in the same transaction, and goes on from them.
   */
  private unsure: Map<string, Cursor> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  /** Steps taken and failed, and the last step's time and rows (health, metrics, tests). */
  /** `asOf`: when the snapshot of the engine's database that the last step copied was taken (ms since the epoch). */
  readonly stats = { steps: 0, failures: 0, lastStepMs: 0, lastRows: 0, lastStepAt: 0, asOf: 0 };

  private constructor(
    readonly db: Database,
    private writer: Connection,
    private readonly source: Connection,
    private readonly tables: readonly MirroredTable[],
    private readonly opts: ReplicaOptions,
    private readonly log: Logger,
  ) {}

  /** Builds the replica from the engine's database as it stands (tables, macros, views, every row), then keeps it in step. */
  static async open(main: Database, opts: ReplicaOptions, log: Logger): Promise<Replica> {
    const inMemory = opts.path === '' || opts.path === ':memory:';
    if (!inMemory) for (const f of [opts.path, `${opts.path}.wal`]) rmSync(f, { force: true });
    const db = await Database.open(inMemory ? ':memory:' : opts.path, {
      threads: String(opts.threads),
      memory_limit: opts.memoryLimit,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      storage_compatibility_version: 'latest',
      ...(opts.tempDir ? { temp_directory: opts.tempDir } : {}),
    });
    const writer = await db.connect();
    const source = await main.connect();
    try {
      const { tables, views } = await readSchema(source, new Set(opts.rollups));
      // One round trip for the whole schema: DuckDB runs the statements of one text in order.
      await writer.run(tables.flatMap((t) => [createSql(t), createSql(t, stageName(t), true)]).join(';\n'));
      await writer.run(
        `CREATE SCHEMA ${META_SCHEMA}; CREATE TABLE ${CURSORS_TABLE} (name VARCHAR PRIMARY KEY, batch BIGINT NOT NULL)`,
      );
      for (const m of opts.macros) await writer.run(m.sql);
      if (views.length > 0) await writer.run(views.join('\n'));
      // Nothing in this instance reads or writes a file but its own database and spill folder.
      await writer.run('SET enable_external_access = false');
      const replica = new Replica(db, writer, source, tables, opts, log);
      await replica.sync();
      let lookedAt = Date.now();
      replica.timer = setInterval(
        () => {
          // Changes no hook reports (an alert acknowledged over HTTP, say) are looked for every EVERYTHING_MS at least:
          // an analyst's query catches up with what is touched, not with what nobody said changed.
          if (Date.now() - lookedAt >= Math.min(EVERYTHING_MS, 10 * opts.syncMs)) {
            lookedAt = Date.now();
            replica.touch();
          }
          if (replica.dirty) void replica.sync();
        },
        Math.min(opts.syncMs, EVERYTHING_MS),
      );
      replica.timer.unref();
      return replica;
    } catch (err) {
      writer.close();
      source.close();
      db.close();
      throw err;
    }
  }

  /**
   * Something changed in the engine's database: the next step (within SQL_SYNC_MS, or before the next analyst query)
   * copies it. `tables` names the tables written (append tables need no naming: their batch numbers tell); without
   * it every table is looked at.
   */
  touch(tables?: Iterable<string>): void {
    this.dirty = true;
    if (tables) for (const t of tables) this.changed.add(t);
    else this.everything = true;
  }

  /** Before an analyst's query: a step if anything changed, so they read what was committed when they asked. */
  async catchUp(): Promise<void> {
    // A step under way may have started after the change: wait for it either way.
    if (this.dirty) await this.sync();
    else await this.serial.run(async () => undefined);
  }

  /**
   * A SQL view of the engine's database was made, changed or dropped (a view created at run time): the replica takes
   * the engine's definition of it, or drops it, between two steps.
   */
  redefineView(name: string): Promise<void> {
    return this.serial.run(async () => {
      if (this.closed) return;
      const [found] = await this.source.objects<{ sql: string }>(
        `SELECT sql FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main'
           AND NOT internal AND NOT temporary AND view_name = $name`,
        { name },
      );
      await this.writer.run(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
      if (found) await this.writer.run(found.sql);
    });
  }

  /**
   * A recompute deleted these rollup rows (a late event moved what their windows counted): the replica deletes them
   * at its next step, before that step's copy (which then brings back any row written again since).
   */
  forget(table: string, rows: readonly { view: string; t: number; area: string }[]): void {
    if (rows.length === 0) return;
    this.forgets.push({ table, rows });
    this.dirty = true;
  }

  /** Retention deleted rows older than `beforeMs` from `table` (by `column`): the replica drops them at its next step. */
  pruned(table: string, column: string, beforeMs: number): void {
    this.prunes.push({ table, column, beforeMs });
    this.dirty = true;
  }

  /**
   * One step: reads what changed from one snapshot of the engine's database, then applies it in one transaction of
   * the replica, so analysts never see half a step. A failed step leaves cursors where they were and is taken again.
   */
  sync(): Promise<void> {
    return this.serial.run(async () => {
      if (this.closed) return;
      this.dirty = false;
      const everything = this.everything;
      const changed = new Set(this.changed);
      this.everything = false;
      this.changed.clear();
      const started = performance.now();
      // Read before the snapshot: rows of batches committed after it are left for the next step.
      const his = new Map(
        this.tables.filter((t) => t.mode === 'append').map((t) => [t.name, this.opts.committed(t.name)]),
      );
      const staged: MirroredTable[] = [];
      const next = new Map<string, Cursor>();
      const apply: string[] = [];
      let forgets: typeof this.forgets = [];
      let rows = 0;
      try {
        if (this.stagesDirty) {
          for (const t of this.tables) await this.writer.run(`DELETE FROM ${stageName(t)}`);
          this.stagesDirty = false;
        }
        if (this.unsure) await this.settleUnsure(this.unsure);
        // Taken before the snapshot: a row deleted after it is deleted by the next step.
        forgets = this.forgets.splice(0);
        for (const f of forgets) apply.push(forgetSql(f.table, f.rows));
        const snapshotAt = Date.now();
        await this.source.run('BEGIN TRANSACTION');
        try {
          for (const t of this.tables) {
            if (t.mode !== 'append' && !everything && !changed.has(t.name) && this.cursors.has(t.name)) continue;
            const step = await this.stage(t, his.get(t.name) ?? 0);
            if (!step) continue;
            if (step.rows > 0) staged.push(t);
            next.set(t.name, step.cursor);
            rows += step.rows;
            apply.push(...step.apply);
            if ('batch' in step.cursor)
              apply.push(`INSERT OR REPLACE INTO ${CURSORS_TABLE} VALUES (${sqlString(t.name)}, ${step.cursor.batch})`);
          }
        } finally {
          await this.source.run('COMMIT').catch(() => undefined);
        }
        const prunes = this.prunes.splice(0);
        for (const p of prunes)
          apply.push(
            `DELETE FROM ${quoteIdent(p.table)} WHERE ${quoteIdent(p.column)} < make_timestamptz(${Math.trunc(p.beforeMs)}::BIGINT * 1000)`,
          );
        if (apply.length > 0) {
          try {
            await this.writer.transaction(async () => {
              for (const sql of apply) await this.writer.run(sql);
            });
          } catch (err) {
            this.prunes.unshift(...prunes);
            throw err;
          }
          forgets = [];
        }
        for (const [name, cursor] of next) this.cursors.set(name, cursor);
        this.stats.steps++;
        this.stats.lastRows = rows;
        this.stats.lastStepAt = Date.now();
        this.stats.asOf = snapshotAt;
        this.stats.lastStepMs = performance.now() - started;
      } catch (err) {
        // Deleting again a row already deleted deletes nothing: a step that failed after its commit may repeat them.
        this.forgets.unshift(...forgets);
        if (next.size > 0 && apply.length > 0) this.unsure = next;
        this.dirty = true;
        this.everything = true;
        for (const t of this.tables) if (!staged.includes(t)) staged.push(t);
        this.stats.failures++;
        this.log.warn('analysts’ replica step failed; it is taken again', { err });
        await this.recover();
      } finally {
        // Made anew now and then (see emptyScratch): a table copied whole at each step went through its stage again and
        // again, and the analysts' instance held every copy.
        for (const t of staged)
          await this.writer.emptyScratch(stageName(t)).catch(() => {
            this.stagesDirty = true;
          });
      }
    });
  }

  /** Takes the cursors of a step whose commit was reported failed if the replica says it went through. */
  private async settleUnsure(pending: Map<string, Cursor>): Promise<void> {
    const stored = await this.writer.objects<{ name: string; batch: number }>(
      `SELECT name, batch FROM ${CURSORS_TABLE}`,
    );
    const batches = new Map(stored.map((r) => [r.name, Number(r.batch)]));
    const committed = [...pending].some(([name, c]) => 'batch' in c && batches.get(name) === c.batch);
    if (committed) for (const [name, c] of pending) this.cursors.set(name, c);
    this.unsure = null;
    if (committed) this.log.warn('analysts’ replica: a step reported failed had been committed; it is not taken again');
  }

  /**
   * After a failed step (the analysts' memory was full, say), the writer may be left inside an aborted transaction
   * that not even ROLLBACK could end: such a connection is replaced, with its private stage tables.
   */
  private async recover(): Promise<void> {
    await this.source.run('ROLLBACK').catch(() => undefined);
    await this.writer.run('ROLLBACK').catch(() => undefined);
    if (
      await this.writer.run('SELECT 1').then(
        () => true,
        () => false,
      )
    )
      return;
    try {
      const fresh = await this.db.connect();
      for (const t of this.tables) await fresh.run(createSql(t, stageName(t), true));
      this.writer.close();
      this.writer = fresh;
    } catch (err) {
      this.log.warn('analysts’ replica writer could not be replaced yet; the next step tries again', { err });
    }
  }

  /** Copies a table's changes into its stage; returns the statements that apply them and the cursor after them. */
  private async stage(t: MirroredTable, hi: number): Promise<{ rows: number; apply: string[]; cursor: Cursor } | null> {
    const name = quoteIdent(t.name);
    const cols = columnList(t);
    const stage = stageName(t);
    const from = this.cursors.get(t.name);
    switch (t.mode) {
      case 'append': {
        const after = from && 'batch' in from ? from.batch : null;
        if (after === null) {
          // The first step (at start, before any source delivers) takes every row, those of earlier runs and releases
          // (no batch number) included, and goes on from the highest batch it found.
          const rows = await this.copy(`SELECT ${cols} FROM ${name}`, t);
          const [top] = (await this.source.query(`SELECT coalesce(max(${BATCH_COLUMN}), 0) FROM ${name}`)).rows;
          return {
            rows,
            cursor: { batch: Math.max(hi, Number(top?.[0] ?? 0)) },
            apply: rows > 0 ? [`INSERT INTO ${name} SELECT * FROM ${stage}`] : [],
          };
        }
        if (after >= hi) return null;
        const rows = await this.copy(
          `SELECT ${cols} FROM ${name} WHERE ${BATCH_COLUMN} > ${after} AND ${BATCH_COLUMN} <= ${hi}`,
          t,
        );
        return { rows, cursor: { batch: hi }, apply: rows > 0 ? [`INSERT INTO ${name} SELECT * FROM ${stage}`] : [] };
      }
      case 'merge': {
        const since = from && 'updatedMs' in from ? from.updatedMs : null;
        // Inclusive: a row written in the same millisecond as the last one copied comes again and replaces itself.
        const rows = await this.copy(
          `SELECT ${cols} FROM ${name}${since === null ? '' : ` WHERE updated_at >= make_timestamptz(${since}::BIGINT * 1000)`}`,
          t,
        );
        if (rows === 0) return since === null ? { rows, cursor: { updatedMs: 0 }, apply: [] } : null;
        const [max] = (await this.writer.query(`SELECT epoch_ms(max(updated_at)) FROM ${stage}`)).rows;
        return {
          rows,
          cursor: { updatedMs: Number(max?.[0] ?? since ?? 0) },
          apply: [
            `DELETE FROM ${name} r USING ${stage} s WHERE ${mergeKey(t)
              .map((k) => `r.${k} = s.${k}`)
              .join(' AND ')}`,
            `INSERT INTO ${name} SELECT * FROM ${stage}`,
          ],
        };
      }
      case 'replace': {
        const signature = JSON.stringify(
          (
            await this.source.query(
              `SELECT count(*), ${t.columns.map((c) => `sum(hash(${quoteIdent(c.name)}))`).join(', ')} FROM ${name}`,
            )
          ).rows[0],
        );
        if (from && 'signature' in from && from.signature === signature) return null;
        const rows = await this.copy(`SELECT ${cols} FROM ${name}`, t);
        return {
          rows,
          cursor: { signature },
          apply: [`DELETE FROM ${name}`, `INSERT INTO ${name} SELECT * FROM ${stage}`],
        };
      }
    }
  }

  /** Streams a query's chunks from the engine's database straight into the replica's stage: no row passes through JavaScript. */
  private async copy(sql: string, t: MirroredTable): Promise<number> {
    const result = await this.source.raw.stream(sql);
    let rows = 0;
    await this.writer.appendChunks(
      stageName(t).replaceAll('"', ''),
      async (add) => {
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          add(chunk);
          rows += chunk.rowCount;
        }
      },
      true,
    );
    return rows;
  }

  /** Stops stepping and waits for a step under way; the caller closes the analysts' connections first. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.serial.run(async () => {
      this.closed = true;
    });
    this.writer.close();
    this.source.close();
    this.db.close();
  }
}

function stageName(t: MirroredTable): string {
  return quoteIdent(`replica_stage_${t.name}`);
}

/** The columns a merged table's rows are replaced by: the rollup store keys on the view as well. */
function mergeKey(t: MirroredTable): string[] {
  return t.columns.some((c) => c.name === 'view') ? ['view', 't', 'area'] : ['t', 'area'];
}

/** Deletes the rollup rows named by (view, window start in ms, area). */
function forgetSql(table: string, rows: readonly { view: string; t: number; area: string }[]): string {
  const keys = rows.map(
    (r) => `(${sqlString(r.view)}, make_timestamptz(${Math.trunc(r.t)}::BIGINT * 1000), ${sqlString(r.area)})`,
  );
  return `DELETE FROM ${quoteIdent(table)} r USING (VALUES ${keys.join(', ')}) k(view, t, area)
    WHERE r.view = k.view AND r.t = k.t AND r.area = k.area`;
}
