// Keeps each view's rollup table fresh: per tick, recomputes only the dirty windows (tumbling views from raw events,
// merged views from their base's rollups) and reports the rows that changed.
import type { Connection } from '../db.ts';
import { FAMILY_DEFS, type Family } from '../schema/index.ts';
import { hanoiWindowStart, timestampLiteral, timestampParam } from '../sql/index.ts';
import { coalesce, DirtyWindows, Watermarks, type Range } from '../windows/index.ts';
import type { IndicatorChange, IndicatorRow } from '../../dashboards/shared/wire/index.ts';
import { isRolling, ViewError, type ViewDef } from './definition.ts';
import { ExpectedSources } from './expected-sources.ts';
import { presentRow, type StoredRow } from './present.ts';
import { installRefTables, loadRefTables, type RefTable } from './tables.ts';
import { loadMacros } from './load.ts';
import { boundSql, outputColumns, rollingSql } from './view-sql.ts';
import { dropRollupKeys, ensureRollup, installViewState, lastWritten } from './view-state.ts';
import { loadHolidays } from '../calendar/index.ts';
import type { Logger } from '../log.ts';

export class Rollups {
  private readonly dirty = new DirtyWindows();
  private readonly outputs = new Map<string, Set<string>>();
  /** The views merged from each base: refreshed after it, from the windows it changed. */
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
  /** Registered sources per kind and area, recounted with the clock work. */
  private readonly expected = new ExpectedSources();
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
      try {
        await this.conn.run(m.sql);
      } catch (err) {
        throw new ViewError(m.file, 1, (err as Error).message);
      }
    }
    await installViewState(this.conn);
    for (const f of Object.keys(FAMILY_DEFS) as Family[]) {
      const [row] = await this.conn.objects<{ ts: number | null }>(
        `SELECT epoch_ms(max(ts)) AS ts FROM ${FAMILY_DEFS[f].table}`,
      );
      if (row?.ts != null) this.watermarks.observe(f, row.ts);
    }
    await dropRollupKeys(
      this.conn,
      this.views.map((v) => v.name),
    );
    const rebuilt = new Set<string>();
    for (const v of this.views) {
      if (!v.base) this.outputs.set(v.name, await outputColumns(this.conn, v));
      const fresh = await ensureRollup(this.conn, v, v.base !== undefined && rebuilt.has(v.base));
      if (fresh) rebuilt.add(v.name);
      await this.markSince(v, fresh);
    }
  }

  /** Windows to recompute at start-up: all of them for a rebuilt rollup, else those touched since its last refresh. */
  private async markSince(v: ViewDef, all: boolean): Promise<void> {
    const since = all ? null : await lastWritten(this.conn, v);
    // A minute of slack: rows committed while the last refresh ran carry receive times just before its write.
    const bound = since !== null ? 'WHERE received_at >= $since::TIMESTAMPTZ' : '';
    const minutes = await this.conn.objects<{ m: number }>(
      `SELECT DISTINCT epoch_ms(ts) // 60000 * 60000 AS m FROM ${FAMILY_DEFS[v.source].table} ${bound}`,
      since !== null ? { since: timestampParam(since - 60_000) } : undefined,
    );
    this.markView(
      v,
      minutes.map((r) => r.m),
    );
  }

  private markView(v: ViewDef, minutes: Iterable<number>): void {
    if (v.base && !isRolling(v)) {
      this.dirty.mark(v.name, v.windowMs, minutes);
    } else if (v.base) {
      // A base window t is inside hops t … t + range − window.
      const span = v.rangeMs! - v.windowMs;
      const hops: number[] = [];
      for (const m of minutes) {
        const s = hanoiWindowStart(m, v.windowMs);
        for (let h = s; h <= s + span; h += v.windowMs) hops.push(h);
      }
      this.dirty.mark(v.name, v.windowMs, hops);
    } else if (v.lookbackMs) {
      // The view reads `lookback` before each window, so an event also changes the windows that follow it that far.
      const later: number[] = [];
      for (const m of minutes) {
        const s = hanoiWindowStart(m, v.windowMs);
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
    this.running = this.refreshAll(onChange).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** A stored row as served: with its trust line (final once the watermark passed the window's end). */
  present(v: ViewDef, r: StoredRow): IndicatorRow {
    return presentRow(v, r, this.watermarks, this.expected);
  }

  private async refreshAll(onChange?: (change: IndicatorChange) => void): Promise<IndicatorChange[]> {
    const started = performance.now();
    const changes: IndicatorChange[] = [];
    const now = Date.now();
    if (now - this.clockWorkAt >= this.clockWorkEveryMs) {
      this.clockWorkAt = now;
      await this.expected
        .refresh(this.conn)
        .catch((err) => this.log.warn('could not count the expected sources', { err }));
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
    // Literals, as in the view's template this statement wraps.
    const [from, to] = [timestampLiteral(range.from), timestampLiteral(range.to)];
    const changed = await this.conn.objects<StoredRow>(`
      MERGE INTO ${v.name} AS r USING (
        SELECT f.t, f.area, f.value, f.n, ${col('weight', 'NULL')} AS weight, ${col('sources', 'NULL')} AS sources, coalesce(${col('late', '0')}, 0) AS late
        FROM (${select}) f LEFT JOIN (SELECT * FROM ${v.name} WHERE t >= ${from} AND t < ${to}) o ON o.t = f.t AND o.area = f.area
        WHERE f.t >= ${from} AND f.t < ${to}
          AND (o.t IS NULL OR o.value IS DISTINCT FROM f.value OR o.n IS DISTINCT FROM f.n
               OR o.late IS DISTINCT FROM coalesce(${col('late', '0')}, 0) OR o.sources IS DISTINCT FROM ${col('sources', 'NULL')})
      ) AS c ON r.t = c.t AND r.area = c.area AND r.t >= ${from} AND r.t < ${to}
      WHEN MATCHED THEN UPDATE SET value = c.value, n = c.n, weight = c.weight, sources = c.sources, late = c.late, updated_at = now()
      WHEN NOT MATCHED THEN INSERT (t, area, value, n, weight, sources, late, updated_at) VALUES (c.t, c.area, c.value, c.n, c.weight, c.sources, c.late, now())
      RETURNING epoch_ms(t) AS t, area, value, n, late, sources, epoch_ms(updated_at) AS updated_at`);
    return changed.map((r) => this.present(v, r));
  }
}

/** The minute starts covering a range: what a base refresh hands on to its rolling views. */
function rangeMinutes(range: Range, windowMs: number): number[] {
  const out: number[] = [];
  for (let t = range.from; t < range.to; t += windowMs) out.push(t);
  return out;
}
