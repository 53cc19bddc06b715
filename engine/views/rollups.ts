// Keeps each view's rollup table fresh: per tick, recomputes only the dirty windows (tumbling views from raw events,
// rolling views by merging their base's rollups) and reports the rows that changed.
import { createHash } from 'node:crypto';
import type { Connection } from '../db.ts';
import { FAMILY_DEFS, type Family } from '../schema/index.ts';
import { coalesce, DirtyWindows, Watermarks, windowStart, type Range } from '../windows/index.ts';
import { bucketSql, isRolling, ViewError, type ViewDef } from './definition.ts';
import { installRefTables, loadRefTables, type RefTable } from './tables.ts';
import { loadMacros } from './load.ts';
import { loadHolidays } from '../calendar/index.ts';
import type { Logger } from '../log.ts';

export interface IndicatorRow {
  t: string; area: string; value: number | null; n: number; late: number; sources: number | null; final: boolean;
  /** Sources of the view's kind known to the engine (seen in the last week) in the area, and the share that reported. */
  expected?: number; completeness?: number | null;
}
export interface IndicatorChange { name: string; rows: IndicatorRow[] }

/** Bump when the rollup layout changes: every rollup is then rebuilt from the raw events. */
const LAYOUT = 'v3';
/**
 * No key on (t, area): a unique index is one more structure that an out-of-memory error in the middle of a write can
 * leave corrupt (DuckDB then invalidates the whole database). Rows are merged by (t, area) instead, see refreshRange.
 */
const ROLLUP_COLUMNS = 't TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE, n BIGINT NOT NULL, weight DOUBLE, sources BIGINT, late BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL';
const REQUIRED = ['t', 'area', 'value', 'n'];
const OPTIONAL = ['weight', 'sources', 'late'];
const HANOI_OFFSET_MS = 25_200_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const lit = (ms: number): string => `TIMESTAMPTZ '${iso(ms)}'`;
const FAR_PAST = Date.UTC(2000, 0, 1);
const FAR_FUTURE = Date.UTC(2100, 0, 1);

interface StoredRow { t: number; area: string; value: number | null; n: number; late: number; sources: number | null }

/** The view's SELECT with its range and the `$late` test (the event arrived after its window closed plus lateness) filled in. */
export function boundSql(v: ViewDef, from: number, to: number): string {
  const w = v.lateWindowMs ?? v.windowMs;
  const late = `(epoch_ms(received_at) >= ((epoch_ms(ts) + ${HANOI_OFFSET_MS}) // ${w}) * ${w} - ${HANOI_OFFSET_MS} + ${w + v.latenessMs})`;
  return v.sql.replaceAll(/\$from\b/g, lit(from)).replaceAll(/\$to\b/g, lit(to)).replaceAll(/\$late\b/g, late).replaceAll(/\$bucket\b/g, bucketSql(v.windowMs));
}

/**
 * The SELECT that merges a view's windows [from, to) from its base's rollups: for a rolling view, each hop takes the
 * base windows of the last `range`; for a view with partials, each window takes the partials inside it.
 */
export function rollingSql(v: ViewDef, from: number, to: number): string {
  const weight = 'coalesce(b.weight, b.n)';
  const merged = {
    sum: ['sum(b.value)', 'NULL'],
    mean: [`sum(b.value * ${weight}) FILTER (WHERE b.value IS NOT NULL) / nullif(sum(${weight}) FILTER (WHERE b.value IS NOT NULL), 0)`, `sum(${weight}) FILTER (WHERE b.value IS NOT NULL)`],
    max: ['max(b.value)', 'NULL'],
    min: ['min(b.value)', 'NULL'],
  }[v.merge];
  const within = isRolling(v)
    ? `b.t >= h.t - to_milliseconds(${v.rangeMs! - v.windowMs}) AND b.t <= h.t`
    : `b.t >= h.t AND b.t < h.t + to_milliseconds(${v.windowMs})`;
  // The base rows any hop can reach, by constant bounds: the join then reads a few blocks, not the base's whole history.
  const lower = from - (isRolling(v) ? v.rangeMs! - v.windowMs : 0);
  return `SELECT h.t AS t, b.area AS area, ${merged[0]} AS value, sum(b.n) AS n, ${merged[1]} AS weight, max(b.sources) AS sources, sum(b.late) AS late
    FROM (SELECT range AS t FROM range(${lit(from)}, ${lit(to)}, to_milliseconds(${v.windowMs}))) h
    JOIN (SELECT * FROM ${v.base} WHERE t >= ${lit(lower)} AND t < ${lit(to + v.windowMs)}) b ON ${within}
    GROUP BY h.t, b.area`;
}

export class Rollups {
  private readonly dirty = new DirtyWindows();
  private readonly outputs = new Map<string, Set<string>>();
  private readonly rolling = new Map<string, ViewDef[]>();
  private running: Promise<IndicatorChange[]> | null = null;
  private clockWorkAt = Number.NEGATIVE_INFINITY;
  /**
   * Snapshot views and the expected-source counts follow the clock, not the data: redone at most this often (0: every
   * tick). The engine ticks after every commit while data flows, far more often than the clock needs.
   */
  clockWorkEveryMs = 0;
  lastTickMs = 0;
  ticks = 0;
  /** View refreshes that failed (their windows stay dirty and are retried next tick). */
  failedRefreshes = 0;
  /** Registered sources per `family/kind|area` (and `|hanoi` for the city), refreshed every tick. */
  private expected = new Map<string, number>();
  /** Milliseconds each view took in the last tick that refreshed it: where a slow tick goes. */
  readonly viewMs = new Map<string, number>();

  constructor(
    private readonly conn: Connection,
    readonly views: readonly ViewDef[],
    private readonly log: Logger,
    readonly watermarks: Watermarks = new Watermarks(),
    private readonly macros: readonly { file: string; sql: string }[] = loadMacros(),
    private readonly refTables: readonly RefTable[] = loadRefTables(),
  ) {
    for (const v of views) if (v.base) this.rolling.set(v.base, [...(this.rolling.get(v.base) ?? []), v]);
  }

  /**
   * Registers the macros, checks every view's SQL against the tables, rebuilds rollups whose definition changed,
   * and marks dirty whatever arrived after each rollup was last refreshed.
   */
  async init(): Promise<void> {
    await installRefTables(this.conn, this.refTables);
    // Dossier deadlines count working days: the holidays must be in place before any view reads them.
    await loadHolidays(this.conn);
    for (const m of this.macros) {
      try { await this.conn.run(m.sql); } catch (err) { throw new ViewError(m.file, 1, (err as Error).message); }
    }
    await this.conn.run('CREATE TABLE IF NOT EXISTS view_state (name VARCHAR PRIMARY KEY, signature VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL)');
    for (const f of Object.keys(FAMILY_DEFS) as Family[]) {
      const [row] = await this.conn.objects<{ ts: number | null }>(`SELECT epoch_ms(max(ts)) AS ts FROM ${FAMILY_DEFS[f].table}`);
      if (row?.ts != null) this.watermarks.observe(f, row.ts);
    }
    await dropRollupKeys(this.conn, this.views.map((v) => v.name));
    const rebuilt = new Set<string>();
    for (const v of this.views) {
      if (!v.base) this.outputs.set(v.name, await this.describe(v));
      const signature = createHash('sha256').update(JSON.stringify([LAYOUT, v.sql, v.windowMs, v.rangeMs, v.merge, v.latenessMs, v.base, v.source])).digest('hex');
      const [state] = await this.conn.objects<{ signature: string }>(`SELECT signature FROM view_state WHERE name = '${v.name}'`);
      const fresh = state?.signature !== signature || (v.base !== undefined && rebuilt.has(v.base));
      if (fresh) {
        await this.conn.run(`DROP TABLE IF EXISTS ${v.name}`);
        await this.conn.run(`CREATE TABLE ${v.name} (${ROLLUP_COLUMNS})`);
        await this.conn.run(`INSERT OR REPLACE INTO view_state VALUES ('${v.name}', '${signature}', now())`);
        rebuilt.add(v.name);
      }
      await this.markSince(v, fresh);
    }
  }

  /** Windows to recompute at start-up: all of them for a rebuilt rollup, else those touched since its last refresh. */
  private async markSince(v: ViewDef, all: boolean): Promise<void> {
    const [since] = all ? [] : await this.conn.objects<{ ms: number | null }>(`SELECT epoch_ms(max(updated_at)) - 60000 AS ms FROM ${v.name}`);
    const bound = since?.ms != null ? `WHERE received_at >= ${lit(since.ms)}` : '';
    const minutes = await this.conn.objects<{ m: number }>(`SELECT DISTINCT epoch_ms(ts) // 60000 * 60000 AS m FROM ${FAMILY_DEFS[v.source].table} ${bound}`);
    this.markView(v, minutes.map((r) => r.m));
  }

  /** The view's output columns, checked once against the real tables: a broken query stops start-up with its file. */
  private async describe(v: ViewDef): Promise<Set<string>> {
    let cols: string[];
    try {
      cols = (await this.conn.objects<{ column_name: string }>(`DESCRIBE ${boundSql(v, FAR_PAST, FAR_PAST + v.windowMs)}`)).map((r) => r.column_name);
    } catch (err) {
      throw new ViewError(v.file, 1, `the query does not run: ${(err as Error).message}`);
    }
    const missing = REQUIRED.filter((c) => !cols.includes(c));
    if (missing.length) throw new ViewError(v.file, 1, `the query must return columns t, area, value, n; missing ${missing.join(', ')}`);
    const unknown = cols.filter((c) => !REQUIRED.includes(c) && !OPTIONAL.includes(c));
    if (unknown.length) throw new ViewError(v.file, 1, `unknown output column(s) ${unknown.join(', ')}: a view returns t, area, value, n and optionally ${OPTIONAL.join(', ')}`);
    return new Set(cols);
  }

  private markView(v: ViewDef, minutes: Iterable<number>): void {
    if (v.base && !isRolling(v)) {
      this.dirty.mark(v.name, v.windowMs, minutes);
    } else if (v.base) {
      // A base window t is inside hops t … t + range − window.
      const span = v.rangeMs! - v.windowMs;
      const hops: number[] = [];
      for (const m of minutes) {
        const s = windowStart(m, v.windowMs);
        for (let h = s; h <= s + span; h += v.windowMs) hops.push(h);
      }
      this.dirty.mark(v.name, v.windowMs, hops);
    } else if (v.lookbackMs) {
      // The view reads `lookback` before each window, so an event also changes the windows that follow it that far.
      const later: number[] = [];
      for (const m of minutes) {
        const s = windowStart(m, v.windowMs);
        for (let h = s; h <= s + v.lookbackMs; h += v.windowMs) later.push(h);
      }
      this.dirty.mark(v.name, v.windowMs, later);
    } else {
      this.dirty.mark(v.name, v.windowMs, minutes);
    }
  }

  /** Called after each committed batch with the minutes it touched per family. */
  markDirty(family: Family, minutes: Iterable<number>, maxTs?: number): void {
    if (maxTs !== undefined && Number.isFinite(maxTs)) this.watermarks.observe(family, maxTs);
    const list = [...minutes];
    if (list.length === 0) return;
    for (const v of this.views) if (v.source === family && !v.base) this.markView(v, list);
  }

  get dirtyWindows(): number {
    return this.dirty.size;
  }

  /**
   * One refresh of every view with dirty windows; ticks never overlap. `onChange` gets each view's changed rows as soon
   * as that view is done, so the first indicators reach the walls before the last views are recomputed.
   */
  tick(onChange?: (change: IndicatorChange) => void): Promise<IndicatorChange[]> {
    if (this.running) return this.running;
    this.running = this.refreshAll(onChange).finally(() => { this.running = null; });
    return this.running;
  }

  /** A stored row as served: with its trust line (final once the watermark passed the window's end). */
  present(v: ViewDef, r: StoredRow): IndicatorRow {
    const row: IndicatorRow = { t: iso(r.t), area: r.area, value: r.value, n: r.n, late: r.late, sources: r.sources, final: this.watermarks.isFinal(v.source, r.t + v.windowMs, v.latenessMs) };
    if (v.devices) {
      const expected = this.expected.get(`${v.devices}|${r.area}`) ?? 0;
      row.expected = expected;
      row.completeness = expected > 0 && r.sources !== null ? Math.min(1, r.sources / expected) : null;
    }
    return row;
  }

  /** Sources seen in the last 7 days, per kind and area: who a window should have heard from. */
  async refreshExpected(): Promise<void> {
    const rows = await this.conn.objects<{ k: string; area: string | null; n: number }>(`
      SELECT k, CASE WHEN grouping(area) = 1 THEN 'hanoi' ELSE coalesce(area, 'unassigned') END AS area, count(*) AS n
      FROM (SELECT CASE family WHEN 'sensor' THEN 'sensor/' || kind ELSE family END AS k, area FROM devices WHERE last_seen >= now() - INTERVAL 7 DAY)
      GROUP BY GROUPING SETS ((k, area), (k))`);
    this.expected = new Map(rows.map((r) => [`${r.k}|${r.area}`, r.n]));
  }

  private async refreshAll(onChange?: (change: IndicatorChange) => void): Promise<IndicatorChange[]> {
    const started = performance.now();
    const changes: IndicatorChange[] = [];
    const now = Date.now();
    if (now - this.clockWorkAt >= this.clockWorkEveryMs) {
      this.clockWorkAt = now;
      await this.refreshExpected().catch((err) => this.log.warn('could not count the expected sources', { err }));
      for (const v of this.views) if (v.snapshot) this.dirty.mark(v.name, v.windowMs, [now]);
    }
    // Tumbling views come first, so rolling views merge freshly refreshed bases in the same tick.
    for (const v of this.views) {
      const starts = this.dirty.take(v.name);
      if (starts.size === 0) continue;
      const viewStarted = performance.now();
      try {
        const rows: IndicatorRow[] = [];
        for (const range of coalesce(starts, v.windowMs)) {
          rows.push(...(await this.refreshRange(v, range)));
          for (const r of this.rolling.get(v.name) ?? []) this.markView(r, rangeMinutes(range, v.windowMs));
        }
        if (rows.length > 0) {
          changes.push({ name: v.name, rows });
          onChange?.({ name: v.name, rows });
        }
        this.viewMs.set(v.name, performance.now() - viewStarted);
      } catch (err) {
        this.dirty.restore(v.name, starts);
        this.failedRefreshes++;
        this.log.error('view refresh failed; its windows stay dirty', { view: v.name, file: v.file, err });
      }
    }
    this.ticks++;
    this.lastTickMs = performance.now() - started;
    return changes;
  }

  /**
   * Recomputes one range and writes only the rows that changed, in one statement (so one transaction), returning them.
   * Rows are upserted, never deleted: events are only ever added, so a window that had a row keeps it.
   */
  private async refreshRange(v: ViewDef, range: Range): Promise<IndicatorRow[]> {
    const out = this.outputs.get(v.name);
    const col = (c: string, fallback: string) => (v.base || out?.has(c) ? `f.${c}` : fallback);
    const select = v.base ? rollingSql(v, range.from, range.to) : boundSql(v, range.from, range.to);
    const changed = await this.conn.objects<StoredRow>(`
      MERGE INTO ${v.name} AS r USING (
        SELECT f.t, f.area, f.value, f.n, ${col('weight', 'NULL')} AS weight, ${col('sources', 'NULL')} AS sources, coalesce(${col('late', '0')}, 0) AS late
        FROM (${select}) f LEFT JOIN (SELECT * FROM ${v.name} WHERE t >= ${lit(range.from)} AND t < ${lit(range.to)}) o ON o.t = f.t AND o.area = f.area
        WHERE f.t >= ${lit(range.from)} AND f.t < ${lit(range.to)}
          AND (o.t IS NULL OR o.value IS DISTINCT FROM f.value OR o.n IS DISTINCT FROM f.n
               OR o.late IS DISTINCT FROM coalesce(${col('late', '0')}, 0) OR o.sources IS DISTINCT FROM ${col('sources', 'NULL')})
      ) AS c ON r.t = c.t AND r.area = c.area AND r.t >= ${lit(range.from)} AND r.t < ${lit(range.to)}
      WHEN MATCHED THEN UPDATE SET value = c.value, n = c.n, weight = c.weight, sources = c.sources, late = c.late, updated_at = now()
      WHEN NOT MATCHED THEN INSERT (t, area, value, n, weight, sources, late, updated_at) VALUES (c.t, c.area, c.value, c.n, c.weight, c.sources, c.late, now())
      RETURNING epoch_ms(t) AS t, area, value, n, late, sources`);
    return changed.map((r) => this.present(v, r));
  }
}

/**
 * Rollups made by an earlier release carry a primary key on (t, area): each is copied into a table without it, in one
 * transaction, so no history is lost and no view is rebuilt from the (shorter-lived) raw events.
 */
async function dropRollupKeys(conn: Connection, names: readonly string[]): Promise<void> {
  const keyed = await conn.objects<{ table_name: string }>(
    "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main' AND database_name = current_database()");
  for (const { table_name: name } of keyed) {
    if (!names.includes(name)) continue;
    await conn.transaction(async () => {
      await conn.run(`CREATE TABLE ${name}__unkeyed (${ROLLUP_COLUMNS})`);
      await conn.run(`INSERT INTO ${name}__unkeyed SELECT t, area, value, n, weight, sources, late, updated_at FROM ${name}`);
      await conn.run(`DROP TABLE ${name}`);
      await conn.run(`ALTER TABLE ${name}__unkeyed RENAME TO ${name}`);
    });
  }
}

/** The minute starts covering a range: what a base refresh hands on to its rolling views. */
function rangeMinutes(range: Range, windowMs: number): number[] {
  const out: number[] = [];
  for (let t = range.from; t < range.to; t += windowMs) out.push(t);
  return out;
}
