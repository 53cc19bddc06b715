// Keeps each view's rollup table fresh: per tick, recomputes only the dirty windows (tumbling views from raw events,
// merged views from their base's rollups) and reports the rows that changed.
import type { Connection } from '../db.ts';
import { FAMILY_DEFS, type Family } from '../schema/index.ts';
import { Bindings, hanoiWindowStart, instantSql, sqlString, timestampParam } from '../sql/index.ts';
import { coalesce, DirtyWindows, Watermarks, type Range } from '../windows/index.ts';
import type { IndicatorChange, IndicatorRow } from '../../dashboards/shared/wire/index.ts';
import { isRolling, ViewError, type ViewDef } from './definition.ts';
import { ExpectedSources } from './expected-sources.ts';
import { presentRow, type StoredRow } from './present.ts';
import { installRefTables, loadRefTables, type RefTable } from './tables.ts';
import { loadMacros } from './load.ts';
import { levelsSql, outputColumns, rollingSql } from './view-sql.ts';
import { readCatalog } from './describe.ts';
import {
  backfilled,
  dropRollup,
  ensureRollups,
  existingViews,
  installViewState,
  lastWritten,
  migrateRollupTables,
  ROLLUP_TABLE,
} from './view-state.ts';
import { loadHolidays } from '../calendar/index.ts';
import type { Logger } from '../log.ts';
import type { Committed } from '../ingest/index.ts';
import { Incremental } from './incremental/incremental.ts';
import { MergedFolds } from './incremental/merged.ts';
import { Backfills } from './backfill.ts';

/** Where a view stands: being filled from the history (a share of it done), kept live, or failing its refresh. */
export interface ViewStatus {
  status: 'backfilling' | 'live' | 'failed';
  progress: number;
  error?: string;
}

export class Rollups {
  private readonly dirty = new DirtyWindows();
  private readonly outputs = new Map<string, Set<string>>();
  /** The views merged from each base: refreshed after it, from the windows it changed. */
  private readonly rolling = new Map<string, ViewDef[]>();
  private running: Promise<IndicatorChange[]> | null = null;
  /** A change of the views waiting for the running tick to end, or under way: ticks wait for it. */
  private changing: Promise<void> | null = null;
  private clockWorkAt = Number.NEGATIVE_INFINITY;
  /**
   * Rolling views' hops begin with the clock, not the data: checked at most this often (0: every tick). The engine
   * ticks after every commit while data flows, far more often than the clock needs.
   */
  clockWorkEveryMs = 0;
  /**
   * Views that recompute their windows from the raw events rather than fold (and the snapshot views, which follow the
   * clock), and the expected-source counts: redone at most this often (0: every tick). One such refresh costs a
   * statement over the raw events whatever changed (VN_AQI's 12-hour lookback about 10 times a folded tick), so its
   * cadence, not the data rate, sets what a quiet city costs.
   */
  recomputeEveryMs = 0;
  /**
   * The largest share of one core the recomputes may take (0: no bound): a recompute that took `d` ms is followed by
   * the next one `d / share` ms later at the earliest. Their cost is mostly fixed (binding and starting VN_AQI's and the
   * snapshot views' statements, and their district variants, costs about 200 ms even over an empty table), so at a
   * fixed cadence a quiet city paid a fifth of a core or more for them alone.
   */
  recomputeShare = 0;
  private recomputeAt = Number.NEGATIVE_INFINITY;
  /** Milliseconds the last recompute took (its statements and the expected-source count). */
  lastRecomputeMs = 0;
  /**
   * Snapshot views (the present state: open incidents, overdue dossiers) are recomputed with the clock at most this
   * often (0: with every recompute); new data of their family still refreshes them at the next recompute. Their
   * windows are a day long and their values move with due times, so a minute is soon enough, and each clock refresh
   * costs a statement over every ward whatever changed.
   */
  snapshotEveryMs = 0;
  private snapshotAt = Number.NEGATIVE_INFINITY;
  lastTickMs = 0;
  /** Milliseconds the last tick spent folding new rows and merging base rows into staged states. */
  stageMs = 0;
  ticks = 0;
  /** View refreshes that failed (their windows stay dirty and are retried next tick). */
  failedRefreshes = 0;
  /** Folds new rows into window states for the views whose aggregates allow it (made again when views change). */
  incremental: Incremental;
  /** Keeps the merged views from the base rows it holds. */
  private merged: MergedFolds;
  /** Views created on the running engine, filled from the history a day per tick. */
  private readonly backfills = new Backfills();
  /** Why each view's last refresh failed; gone once one succeeds. */
  private readonly errors = new Map<string, string>();
  /** Ticks that tell no one what changed (the first start's history, before anyone listens): no rows come back. */
  quiet = false;
  /** A backfilling view's whole history is in its rollup. */
  onBackfilled: (view: string) => void = () => undefined;
  /** Rows recomputes deleted (view, window start in ms, area): the analysts' copy deletes them too. */
  onRemoved: (rows: { view: string; t: number; area: string }[]) => void = () => undefined;
  /** Merged views whose base lost rows: their next refresh recomputes by SQL rather than from staged merges. */
  private readonly sweep = new Set<string>();
  /** The views whose dirty windows this tick's states were staged for. */
  private staged = new Set<string>();
  /** Per rolling view, the newest hop the clock has made dirty. */
  private readonly clockHops = new Map<string, number>();
  /** Registered sources per kind and area, recounted with the clock work. */
  private readonly expected = new ExpectedSources();
  /**
   * Ward → district codes (set before init): every view then also has a row per district, computed by its own query
   * over the district's events (or folded, or merged from its base's district rows).
   */
  parents: ReadonlyMap<string, string> = new Map();
  /** Windows deleted in the last day, oldest first: a wall resynchronising after a failover is told of them too. */
  private readonly removals: { view: string; t: number; area: string; at: number }[] = [];
  /** Milliseconds each refresh statement took in the last tick that ran it, by its views (joined by +): where a slow tick goes. */
  readonly viewMs = new Map<string, number>();

  constructor(
    private readonly conn: Connection,
    /** Shared with the catalogue, the alerts and the hub: views created or removed at run time change it in place. */
    readonly views: ViewDef[],
    private readonly log: Logger,
    readonly watermarks: Watermarks = new Watermarks(),
    private readonly macros: readonly { file: string; sql: string }[] = loadMacros(),
    private readonly refTables: readonly RefTable[] = loadRefTables(),
  ) {
    this.linkRolling();
    this.incremental = new Incremental(conn, log);
    this.merged = new MergedFolds(conn, views);
  }

  /**
   * Registers the macros, checks every view's SQL against the tables, rebuilds rollups whose definition changed,
   * and marks dirty whatever arrived after each rollup was last refreshed (everything, with `recomputeAll`: the
   * events were placed in new areas).
   */
  async init(options: { recomputeAll?: boolean } = {}): Promise<void> {
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
    await this.conn.run(GONE_CREATE);
    await this.conn.run(RECOMPUTED_CREATE);
    for (const f of Object.keys(FAMILY_DEFS) as Family[]) {
      const [row] = await this.conn.objects<{ ts: number | null }>(
        `SELECT epoch_ms(max(ts)) AS ts FROM ${FAMILY_DEFS[f].table}`,
      );
      if (row?.ts != null) this.watermarks.observe(f, row.ts);
    }
    await migrateRollupTables(this.conn, this.views);
    const written = await lastWritten(this.conn);
    const rebuilt = await ensureRollups(this.conn, this.views, await existingViews(this.conn));
    const catalog = await readCatalog(this.conn);
    for (const v of this.views) {
      if (!v.base) this.outputs.set(v.name, await outputColumns(this.conn, v, catalog));
      const fresh = rebuilt.has(v.name);
      await this.markSince(v, fresh || options.recomputeAll ? null : (written.get(v.name) ?? null));
    }
    await this.incremental.init(this.views, this.parents, catalog);
    await this.merged.init();
  }

  private linkRolling(): void {
    this.rolling.clear();
    for (const v of this.views) if (v.base) this.rolling.set(v.base, [...(this.rolling.get(v.base) ?? []), v]);
  }

  /**
   * Puts `next` in place of the views (`added` among them, `removed` gone), between ticks: the removed views' rows go,
   * the added ones start their backfill, and the folded states are made again for the new set (the windows held are
   * then read whole once, as after a restart).
   */
  changeViews(next: readonly ViewDef[], added: readonly ViewDef[], removed: readonly string[]): Promise<void> {
    return this.exclusive(async () => {
      for (const name of removed) {
        await dropRollup(this.conn, name);
        this.dirty.drop(name);
        this.backfills.drop(name);
        this.errors.delete(name);
        this.outputs.delete(name);
        this.viewMs.delete(name);
      }
      const catalog = await readCatalog(this.conn);
      for (const v of added) if (!v.base) this.outputs.set(v.name, await outputColumns(this.conn, v, catalog));
      await ensureRollups(this.conn, added, await existingViews(this.conn), true);
      const incremental = new Incremental(this.conn, this.log);
      await incremental.init(next, this.parents, await readCatalog(this.conn));
      incremental.carry(this.incremental);
      const merged = new MergedFolds(this.conn, next);
      await merged.init();
      this.views.splice(0, this.views.length, ...next);
      this.linkRolling();
      this.incremental = incremental;
      this.merged = merged;
      for (const v of added) this.backfills.start(v.name, await this.minutesOf(v, null));
    });
  }

  /**
   * Runs `change` between ticks, one change after another: no new tick starts once a change waits (with commits
   * coming back to back, ticks follow one another and a change waiting for a gap would wait long).
   */
  private exclusive(change: () => Promise<void>): Promise<void> {
    const run = (this.changing ?? Promise.resolve()).then(async () => {
      while (this.running) await this.running.catch(() => undefined);
      await change();
    });
    const settled = run.catch(() => undefined);
    this.changing = settled;
    void settled.then(() => {
      if (this.changing === settled) this.changing = null;
    });
    return run;
  }

  /** Where the view stands; undefined for a view this engine does not have. */
  status(name: string): ViewStatus | undefined {
    if (!this.views.some((v) => v.name === name)) return undefined;
    const error = this.errors.get(name);
    if (error !== undefined) return { status: 'failed', progress: this.backfills.progress(name), error };
    if (this.backfills.has(name)) return { status: 'backfilling', progress: this.backfills.progress(name) };
    return { status: 'live', progress: 1 };
  }

  /** Whether any view is still being filled from the history: the tick loop then comes again at once. */
  get backfilling(): boolean {
    return this.backfills.size > 0;
  }

  backfillingViews(): string[] {
    return this.backfills.views();
  }

  /** Windows to recompute at start-up: all of them for a rebuilt rollup, else those touched since its last refresh. */
  private async markSince(v: ViewDef, since: number | null): Promise<void> {
    this.markView(v, await this.minutesOf(v, since));
  }

  /** The minutes holding events of the view's family (received since `since`, or all). */
  private async minutesOf(v: ViewDef, since: number | null): Promise<number[]> {
    // A minute of slack: rows committed while the last refresh ran carry receive times just before its write.
    const bound = since !== null ? 'WHERE received_at >= $since::TIMESTAMPTZ' : '';
    const minutes = await this.conn.objects<{ m: number }>(
      `SELECT DISTINCT epoch_ms(ts) // 60000 * 60000 AS m FROM ${FAMILY_DEFS[v.source].table} ${bound}`,
      since !== null ? { since: timestampParam(since - 60_000) } : undefined,
    );
    return minutes.map((r) => Number(r.m));
  }

  private markView(v: ViewDef, minutes: Iterable<number>): void {
    if (v.base && !isRolling(v)) {
      this.dirty.mark(v.name, v.windowMs, minutes);
    } else if (v.base) {
      // A base window t is inside hops t … t + range − window; hops that have not begun wait for the clock (a hop
      // ahead of time would hold only the past part of its range, and a wall showing the newest row would show it).
      const span = v.rangeMs! - v.windowMs;
      const horizon = hanoiWindowStart(Date.now(), v.windowMs);
      const hops: number[] = [];
      for (const m of minutes) {
        const s = hanoiWindowStart(m, v.windowMs);
        for (let h = s; h <= Math.min(s + span, horizon); h += v.windowMs) hops.push(h);
      }
      this.dirty.mark(v.name, v.windowMs, hops);
    } else if (v.lookbackMs) {
      // The view reads `lookback` before each window, so an event also changes the windows that follow it that far
      // (up to the present: a window gets rows only from events of its own).
      const horizon = hanoiWindowStart(Date.now(), v.windowMs);
      const later: number[] = [];
      for (const m of minutes) {
        const s = hanoiWindowStart(m, v.windowMs);
        for (let h = s; h <= Math.min(s + v.lookbackMs, horizon); h += v.windowMs) later.push(h);
      }
      if (later.length === 0) later.push(...minutes);
      this.dirty.mark(v.name, v.windowMs, later);
    } else {
      this.dirty.mark(v.name, v.windowMs, minutes);
    }
  }

  /** A rolling view's hops that began since the clock last came by: each covers past windows, data or not. */
  private markClockHops(v: ViewDef, now: number): void {
    const current = hanoiWindowStart(now, v.windowMs);
    const since = this.clockHops.get(v.name);
    const first = since === undefined ? current : Math.max(since + v.windowMs, current - (v.rangeMs! - v.windowMs));
    const hops: number[] = [];
    for (let h = first; h <= current; h += v.windowMs) hops.push(h);
    if (since === undefined || since < current) this.dirty.mark(v.name, v.windowMs, hops);
    this.clockHops.set(v.name, current);
  }

  /** Called after each committed batch: its minutes make windows dirty, its rows are the next tick's to fold. */
  onCommit(c: Pick<Committed, 'minutes' | 'maxTs' | 'batch'> & Partial<Pick<Committed, 'inserted'>>): void {
    for (const f of Object.keys(c.minutes) as Family[]) {
      this.incremental.onCommit(f, c.batch, c.inserted?.[f]);
      this.markFamily(f, c.minutes[f], c.maxTs[f]);
    }
  }

  /**
   * Rows reached the family's table some other way than a numbered batch: the windows they touched are dirty, and
   * read whole when next refreshed.
   */
  markDirty(family: Family, minutes: Iterable<number>, maxTs?: number): void {
    const list = [...minutes];
    this.markFamily(family, list, maxTs);
    for (const v of this.views)
      if (v.source === family && !v.base)
        this.incremental.forget(
          v.name,
          list.map((m) => hanoiWindowStart(m, v.windowMs)),
        );
  }

  private markFamily(family: Family, minutes: Iterable<number>, maxTs?: number): void {
    if (maxTs !== undefined && Number.isFinite(maxTs)) this.watermarks.observe(family, maxTs);
    const list = [...minutes];
    if (list.length === 0) return;
    for (const v of this.views) if (v.source === family && !v.base) this.markView(v, list);
    // A snapshot's present window (what is open now) depends on every event of its family whatever its time: a
    // confirmation timed yesterday changes what is overdue today, so new data refreshes it without waiting for the
    // clock's minute.
    const now = Date.now();
    for (const v of this.views) if (v.snapshot && v.source === family) this.dirty.mark(v.name, v.windowMs, [now]);
  }

  /** The time from one recompute to the next: RECOMPUTE_MS, or longer when the last one cost more than its share. */
  get recomputeGapMs(): number {
    return this.recomputeShare > 0
      ? Math.max(this.recomputeEveryMs, this.lastRecomputeMs / this.recomputeShare)
      : this.recomputeEveryMs;
  }

  /** The next tick also does the clock's work and recomputes (a last tick before stopping). */
  dueNow(): void {
    this.clockWorkAt = Number.NEGATIVE_INFINITY;
    this.recomputeAt = Number.NEGATIVE_INFINITY;
    this.snapshotAt = Number.NEGATIVE_INFINITY;
  }

  get dirtyWindows(): number {
    return this.dirty.size;
  }

  /**
   * One refresh of every view with dirty windows; ticks never overlap. `onChange` gets each view's changed rows as soon
   * as the statement that wrote them is done, so views with their own SELECT reach the walls before merged ones.
   */
  tick(onChange?: (change: IndicatorChange) => void): Promise<IndicatorChange[]> {
    if (this.running) return this.running;
    if (this.changing) return this.changing.then(() => []);
    this.running = this.refreshAll(onChange).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** A stored row as served: with its trust line (final once the watermark passed the window's end). */
  present(v: ViewDef, r: StoredRow): IndicatorRow {
    return presentRow(v, r, this.watermarks, this.expected);
  }

  /** The windows of `view` with `t` in [from, to) deleted at or after `since` (epoch ms): rows marked removed. */
  removedSince(v: ViewDef, q: { since: number; from: number; to: number }): IndicatorRow[] {
    return this.removals
      .filter((r) => r.view === v.name && r.at >= q.since && r.t >= q.from && r.t < q.to)
      .map((r) => ({ ...this.present(v, removedRow(r.t, r.area, r.at)), removed: true }));
  }

  private async refreshAll(onChange?: (change: IndicatorChange) => void): Promise<IndicatorChange[]> {
    const started = performance.now();
    this.stageMs = 0;
    const changes: IndicatorChange[] = [];
    const now = Date.now();
    const clockWork = now - this.clockWorkAt >= this.clockWorkEveryMs;
    if (clockWork) {
      this.clockWorkAt = now;
      for (const v of this.views) if (isRolling(v)) this.markClockHops(v, now);
    }
    const recompute = now - this.recomputeAt >= this.recomputeGapMs;
    let recomputeMs = 0;
    if (recompute) {
      this.recomputeAt = now;
      const recomputeStart = performance.now();
      await this.expected
        .refresh(this.conn, this.parents)
        .catch((err) => this.log.warn('could not count the expected sources', { err }));
      if (now - this.snapshotAt >= this.snapshotEveryMs) {
        this.snapshotAt = now;
        for (const v of this.views) if (v.snapshot) this.dirty.mark(v.name, v.windowMs, [now]);
      }
      recomputeMs += performance.now() - recomputeStart;
    }
    const filling = this.views.filter((v) => this.backfills.has(v.name));
    for (const v of filling) this.markView(v, this.backfills.take(v.name));
    // Views with their own SELECT come first, so views merged from them read freshly refreshed bases in the same tick.
    // Views recomputed from the raw events wait until the folded and merged ones have reached the walls: a recompute
    // takes a few hundred milliseconds every few seconds, and every view's freshness waited for it. The views merged
    // from them then have a pass of their own after it.
    const later = await this.pass(false, recompute, changes, onChange);
    await this.pass(true, recompute, changes, onChange);
    if (later.length > 0) {
      const g0 = performance.now();
      for (const group of later) await this.refreshAndPush(group, changes, onChange);
      recomputeMs += performance.now() - g0;
      if (later.some((g) => g.some((w) => this.rolling.has(w.v.name))))
        await this.pass(true, recompute, changes, onChange);
    }
    for (const v of filling) {
      if (!this.backfills.settle(v.name) || this.errors.has(v.name)) continue;
      await backfilled(this.conn, v);
      this.backfills.drop(v.name);
      this.onBackfilled(v.name);
    }
    if (recompute) this.lastRecomputeMs = recomputeMs;
    this.ticks++;
    this.lastTickMs = performance.now() - started;
    return changes;
  }

  /**
   * Refreshes the views with their own SELECT (`merged` false) or those merged from a base, whose windows are dirty;
   * answers, without running them, the groups of views with their own SELECT that recompute from the raw events.
   */
  private async pass(
    merged: boolean,
    recompute: boolean,
    changes: IndicatorChange[],
    onChange?: (change: IndicatorChange) => void,
  ): Promise<Work[][]> {
    const work: Work[] = [];
    for (const v of this.views) {
      if ((v.base !== undefined) !== merged) continue;
      // A view that recomputes its windows from the raw events costs a statement over them whatever changed: its
      // windows wait for the next recompute (every RECOMPUTE_MS), while folded views follow every commit.
      if (!merged && !recompute && !this.incremental.folds(v.name) && !this.backfills.has(v.name)) continue;
      const starts = this.dirty.take(v.name);
      // Windows up to an hour apart are recomputed as one range: a scan of the hour between costs less than a
      // subquery per window (a day of events every ten minutes was 144 of them, and out of memory).
      const gap = Math.max(4, Math.ceil(3_600_000 / v.windowMs));
      if (starts.size > 0) work.push({ v, starts, ranges: [...coalesce(starts, v.windowMs, gap)] });
    }
    // A merged view whose base lost rows is swept by its SQL merge this time (see `removed`).
    this.staged = await this.stage(
      work.filter((w) => !this.sweep.has(w.v.name)),
      merged,
    );
    const later: Work[][] = [];
    for (const group of statements(work, (w) => this.staged.has(w.v.name))) {
      if (!merged && !group.some((w) => this.staged.has(w.v.name))) later.push(group);
      else await this.refreshAndPush(group, changes, onChange);
    }
    return later;
  }

  /** Refreshes a group of views, marks the rolling views' hops their ranges reach, and hands on their changed rows. */
  private async refreshAndPush(
    group: Work[],
    changes: IndicatorChange[],
    onChange?: (change: IndicatorChange) => void,
  ): Promise<void> {
    for (const [w, rows] of await this.refreshGroup(group)) {
      if (!this.staged.has(w.v.name)) this.sweep.delete(w.v.name);
      for (const range of w.ranges)
        for (const r of this.rolling.get(w.v.name) ?? []) this.markView(r, rangeMinutes(range, w.v.windowMs));
      // A view filling from its history is pushed to no one: a day of windows per tick would flood the walls, which
      // load it whole once it is live.
      if (rows.length === 0 || this.backfills.has(w.v.name)) continue;
      changes.push({ name: w.v.name, rows });
      onChange?.({ name: w.v.name, rows });
    }
  }

  /** Folds what was committed into the window states and stages the dirty ones; on failure all recompute. */
  private async stage(work: Work[], merged: boolean): Promise<Set<string>> {
    if (work.length === 0 && merged) return new Set();
    const t0 = performance.now();
    try {
      const dirty = new Map(work.map((w) => [w.v.name, w.starts]));
      return await (merged ? this.merged.prepare(dirty) : this.incremental.prepare(dirty));
    } catch (err) {
      this.log.warn('could not stage the folded window states; the views recompute this tick', { err });
      return new Set();
    } finally {
      this.stageMs += performance.now() - t0;
    }
  }

  /**
   * Refreshes a group of views in one statement; when it fails, each view alone, so that one broken view keeps only
   * its own windows dirty (retried next tick). Answers the views refreshed, with their changed rows.
   */
  private async refreshGroup(group: Work[]): Promise<Map<Work, IndicatorRow[]>> {
    const done = new Map<Work, IndicatorRow[]>();
    const t0 = performance.now();
    try {
      const rows = await this.refreshRanges(group);
      for (const w of group) {
        done.set(w, rows.get(w.v.name) ?? []);
        this.errors.delete(w.v.name);
      }
      this.viewMs.set(group.map((w) => w.v.name).join('+'), performance.now() - t0);
      return done;
    } catch (err) {
      if (group.length === 1) {
        const { v, starts } = group[0]!;
        this.dirty.restore(v.name, starts);
        this.failedRefreshes++;
        this.errors.set(v.name, (err as Error).message);
        this.log.error('view refresh failed; its windows stay dirty', { view: v.name, file: v.file, err });
        return done;
      }
    }
    for (const w of group) for (const [k, rows] of await this.refreshGroup([w])) done.set(k, rows);
    return done;
  }

  /**
   * Recomputes the views' ranges and writes only the rows that changed, returning them by view. A recomputed range's
   * rows that the recompute no longer yields are deleted in the same transaction: events are only ever added, yet a
   * late one can move what a window counted to another (a first report timed yesterday takes an incident out of
   * today's count, the day it had been counted in while its resolution was all that had come). A folded window never
   * loses its rows (its aggregates only grow with events), so folded statements delete nothing.
   */
  private async refreshRanges(group: Work[]): Promise<Map<string, IndicatorRow[]>> {
    // Rows of views filling from their history go to no one (see refreshAll), and no merged view holds them: such a
    // statement returns nothing, rather than a day of rows to present and drop.
    const silent = group.every((w) => (this.quiet || this.backfills.has(w.v.name)) && !this.rolling.has(w.v.name));
    // Ranges go in as parameters: a tick's statement then has the text of the last tick's with the same views, and
    // its plan is kept. A rebuild's many ranges are written once, as literals.
    const ranges = group.reduce((n, w) => n + (this.staged.has(w.v.name) ? 0 : w.ranges.length), 0);
    const b = ranges <= PLANNED_RANGES ? new Bindings() : undefined;
    // Views recomputed from the raw events are computed one statement each into a scratch table, which the MERGE below
    // then reads: DuckDB ran their SELECTs as one UNION far slower than one by one (VN_AQI's and another's, 10 and 5 ms
    // apart, took 80 ms together; the eight at rest, 60 ms apart, 135 ms together). Each has arguments of its own, so
    // its text (and kept plan) does not depend on which other views the tick recomputes, nor on how many ranges they
    // have. The folded views' SELECTs read the staged states, and cost least as one.
    const separate = group.every((w) => !this.staged.has(w.v.name));
    // Each view's SELECTs over its ranges, the bounds they reach, and where a stored row they no longer yield goes.
    const parts: Part[] = [];
    for (const { v, ranges } of group) {
      const pb = !separate ? b : ranges.length <= PLANNED_RANGES ? new Bindings() : undefined;
      const out = this.outputs.get(v.name);
      const col = (c: string, fallback: string) => (v.base || out?.has(c) ? `f.${c}` : fallback);
      const folded = this.staged.has(v.name);
      const part: Part = {
        b: pb,
        selects: [],
        lo: Number.POSITIVE_INFINITY,
        hi: Number.NEGATIVE_INFINITY,
        swept: [],
      };
      // A folded view's staged states are its dirty windows exactly: one SELECT, whatever its ranges.
      for (const range of folded
        ? [{ from: Math.min(...ranges.map((r) => r.from)), to: Math.max(...ranges.map((r) => r.to)) }]
        : ranges) {
        const select = folded
          ? v.base
            ? this.merged.finalSql(v.name)
            : this.incremental.finalSql(v.name)
          : v.base
            ? rollingSql(v, range.from, range.to, pb)
            : levelsSql(v, range.from, range.to, this.parents, pb);
        // The staged states are the dirty windows exactly; a recomputed range may reach beyond it.
        const bounded = folded
          ? ''
          : `WHERE f.t >= ${instantSql(range.from, pb)} AND f.t < ${instantSql(range.to, pb)}`;
        part.selects.push(`SELECT ${sqlString(v.name)} AS view, f.t::TIMESTAMPTZ AS t, f.area::VARCHAR AS area,
            f.value::DOUBLE AS value, f.n::BIGINT AS n, ${col('weight', 'NULL')}::DOUBLE AS weight,
            ${col('sources', 'NULL')}::BIGINT AS sources, coalesce(${col('late', '0')}, 0)::BIGINT AS late
          FROM (${select}) f ${bounded}`);
        part.lo = Math.min(part.lo, range.from);
        part.hi = Math.max(part.hi, range.to);
      }
      // The recomputed ranges where a row the recompute did not yield is one to delete: of the views whose rows can go
      // (a folded view's, which only grow with events, cannot; a merged view's only when its base lost some).
      if (!folded && this.mayLoseRows(v))
        part.swept = ranges.map(
          (r) => `(o.view = ${sqlString(v.name)} AND o.t >= ${instantSql(r.from, b)} AND o.t < ${instantSql(r.to, b)})`,
        );
      parts.push(part);
    }
    // Two statements rather than one MERGE over the SELECTs: DuckDB binds a MERGE again at every run, kept plan or not,
    // and binding VN_AQI's expanded macros alone took 100–300 ms a tick; an INSERT keeps its plan, and the MERGE left
    // is small. The recomputed rows go through this connection's scratch table, and the MERGE writes those that differ
    // from the stored ones (a join to find them first, then a MERGE of those, cost 16–21 against 10–17 ms together).
    await this.conn.emptyScratch(RECOMPUTED_TABLE);
    // The folded views' rows too, in one statement: joined straight from their UNION, DuckDB could not tell how few
    // they were (61–94 ms a tick over a day of rollups).
    const statements = separate
      ? parts.map((p) => ({ selects: p.selects, b: p.b }))
      : [{ selects: parts.flatMap((p) => p.selects), b }];
    for (const st of statements) {
      const insert = `INSERT INTO ${RECOMPUTED_TABLE} ${st.selects.join('\n        UNION ALL ')}`;
      await (st.b ? this.conn.runPlanned(insert, st.b) : this.conn.run(insert));
    }
    const gone = parts.flatMap((p) => p.swept);
    if (gone.length === 0) return this.write(group, silent, b);
    // The stored rows of the swept ranges that the recompute no longer yields, into the other scratch table: one FULL
    // JOIN of the recomputed rows with the stored ones of the whole stretch took 150 ms over a day of rollups.
    await this.conn.emptyScratch(GONE_TABLE);
    const [from, to] = [
      instantSql(Math.min(...parts.map((p) => p.lo)), b),
      instantSql(Math.max(...parts.map((p) => p.hi)), b),
    ];
    const sweep = `INSERT INTO ${GONE_TABLE}
        SELECT o.view, o.t, o.area FROM ${ROLLUP_TABLE} o
        WHERE o.t >= ${from} AND o.t < ${to} AND (${gone.join(' OR ')})
          AND NOT EXISTS (SELECT 1 FROM ${RECOMPUTED_TABLE} f WHERE o.view = f.view AND o.t = f.t AND o.area = f.area)`;
    await (b ? this.conn.runPlanned(sweep, b) : this.conn.run(sweep));
    const [found] = await this.conn.objectsPlanned<{ gone: number }>(
      `SELECT count(*)::DOUBLE AS gone FROM ${GONE_TABLE}`,
    );
    if (!found?.gone) return this.write(group, silent, b);
    // Rare (a late event moved what a window counted): the rows written and the rows deleted in one transaction.
    return this.conn.transaction(async () => {
      const out = await this.write(group, silent, b);
      const sql = `DELETE FROM ${ROLLUP_TABLE} r USING ${GONE_TABLE} c
          WHERE r.view = c.view AND r.t = c.t AND r.area = c.area
        RETURNING r.view, epoch_ms(r.t) AS t, r.area`;
      const gone = b ? await this.conn.objectsPlanned<RemovedRow>(sql, b) : await this.conn.objects<RemovedRow>(sql);
      if (gone.length > 0) this.removed(group, gone, silent, out);
      return out;
    });
  }

  /** Whether a recompute of the view can yield fewer rows than it wrote before (see `refreshRanges`). */
  private mayLoseRows(v: ViewDef): boolean {
    return v.base ? this.sweep.has(v.name) : !this.incremental.folds(v.name);
  }

  /**
   * Writes the recomputed rows that differ from the stored ones (or are new) into the rollups, answering them by view
   * unless silent. The window starts as a list, besides the keys: DuckDB filters the stored rows' row groups by it as
   * it scans, where the join's own filter is their range (a tick's rows reach from the day's window to this minute's,
   * so every row group of the day): 13–16 against 7–10 ms a MERGE over a day of rollups in time order.
   */
  private async write(group: Work[], silent: boolean, b: Bindings | undefined): Promise<Map<string, IndicatorRow[]>> {
    const sql = `
      MERGE INTO ${ROLLUP_TABLE} AS r USING ${RECOMPUTED_TABLE} AS c
      ON r.view = c.view AND r.t = c.t AND r.area = c.area AND r.t IN (SELECT DISTINCT t FROM ${RECOMPUTED_TABLE})
      WHEN MATCHED AND (r.value IS DISTINCT FROM c.value OR r.n IS DISTINCT FROM c.n OR r.late IS DISTINCT FROM c.late
        OR r.sources IS DISTINCT FROM c.sources) THEN
        UPDATE SET value = c.value, n = c.n, weight = c.weight, sources = c.sources, late = c.late, updated_at = now()
      WHEN NOT MATCHED THEN INSERT (view, t, area, value, n, weight, sources, late, updated_at)
        VALUES (c.view, c.t, c.area, c.value, c.n, c.weight, c.sources, c.late, now())
      ${silent ? '' : 'RETURNING view, epoch_ms(t) AS t, area, value, n, weight, late, sources, epoch_ms(updated_at) AS updated_at'}`;
    type Changed = StoredRow & { view: string; weight: number | null };
    if (silent) {
      await (b ? this.conn.runPlanned(sql, b) : this.conn.run(sql));
      return new Map();
    }
    const changed = b ? await this.conn.objectsPlanned<Changed>(sql, b) : await this.conn.objects<Changed>(sql);
    const byView = new Map(group.map((w) => [w.v.name, w.v]));
    const out = new Map<string, IndicatorRow[]>();
    for (const r of changed) {
      if (this.rolling.has(r.view)) this.merged.observe(r.view, r);
      const list = out.get(r.view) ?? [];
      list.push(this.present(byView.get(r.view)!, r));
      out.set(r.view, list);
    }
    return out;
  }

  /**
   * Rows a recompute deleted: views merged from them drop them and sweep their hops by SQL next (a staged merge
   * yields only the areas it still holds, so a merged row left without base rows would stay), the analysts' copy is
   * told, and the walls get each as a removed window.
   */
  private removed(group: Work[], gone: RemovedRow[], silent: boolean, out: Map<string, IndicatorRow[]>): void {
    const byView = new Map(group.map((w) => [w.v.name, w.v]));
    const now = Date.now();
    while (this.removals.length > 0 && (now - this.removals[0]!.at > DAY_MS || this.removals.length > MAX_REMOVALS))
      this.removals.shift();
    for (const r of gone) {
      const t = Number(r.t);
      this.removals.push({ view: r.view, t, area: r.area, at: now });
      for (const child of this.rolling.get(r.view) ?? []) this.sweep.add(child.name);
      if (this.rolling.has(r.view)) this.merged.forget(r.view, t, r.area);
      if (silent) continue;
      const row = this.present(byView.get(r.view)!, removedRow(t, r.area, now));
      const list = out.get(r.view) ?? [];
      list.push({ ...row, removed: true });
      out.set(r.view, list);
    }
    this.onRemoved(gone.map((r) => ({ view: r.view, t: Number(r.t), area: r.area })));
  }
}

/** How many deleted windows are kept for walls that resynchronise (a day's worth, at most this many). */
const MAX_REMOVALS = 100_000;
const DAY_MS = 86_400_000;

/** A deleted window as a stored row: no value, no events, changed when it was deleted. */
const removedRow = (t: number, area: string, at: number): StoredRow => ({
  t,
  area,
  value: null,
  n: 0,
  late: 0,
  sources: null,
  updated_at: at,
});

/** A rollup row a recompute deleted: `t` in epoch ms. */
interface RemovedRow {
  view: string;
  t: number;
  area: string;
}

/** One view's part of a refresh: its SELECTs, the range they cover, and its ranges where stored rows may go. */
interface Part {
  /** The arguments of its SELECTs: its own when it is a statement of its own. */
  b: Bindings | undefined;
  selects: string[];
  lo: number;
  hi: number;
  swept: string[];
}

/** A view's dirty windows taken for one tick, as the ranges they coalesce into. */
interface Work {
  v: ViewDef;
  starts: Set<number>;
  ranges: Range[];
}

/**
 * Windows one statement recomputes at most: a tick's few windows per view all go in one statement, but a view rebuilt
 * over its whole history (hundreds of thousands of windows) takes one of its own, as before, to bound its memory.
 */
const WINDOWS_PER_STATEMENT = 5000;
/** Stored rows a recompute no longer yields, on their way out of the rollups (a temporary table of its connection). */
const GONE_TABLE = 'rollup_gone';
const GONE_CREATE = `CREATE OR REPLACE TEMP TABLE ${GONE_TABLE} (view VARCHAR, t TIMESTAMPTZ, area VARCHAR)`;
/** The rows of a tick's views recomputed from the raw events, on their way to the join with the stored ones. */
const RECOMPUTED_TABLE = 'rollup_recomputed';
const RECOMPUTED_CREATE = `CREATE OR REPLACE TEMP TABLE ${RECOMPUTED_TABLE} (view VARCHAR, t TIMESTAMPTZ, area VARCHAR,
  value DOUBLE, n BIGINT, weight DOUBLE, sources BIGINT, late BIGINT)`;
/** Recomputed ranges past which a statement is written with literals, as a one-off, rather than planned and kept. */
const PLANNED_RANGES = 16;

/**
 * Packs the views' work into statements of at most WINDOWS_PER_STATEMENT windows each, keeping the views' order. The
 * views that recompute from the raw events and the folded ones go in statements of their own: which folded views a
 * tick refreshes varies, so a statement mixing both would be planned again for each combination, and the recomputed
 * views' SQL (VN_AQI's expanded macros) is the costly one to plan. The recomputed views themselves change little from
 * one recompute to the next (the snapshot views every time, the others when their data did): a few texts, each kept.
 */
function statements(work: Work[], folded: (w: Work) => boolean): Work[][] {
  const out: Work[][] = [];
  for (const part of [work.filter((x) => !folded(x)), work.filter(folded)]) {
    let current: Work[] = [];
    let windows = 0;
    for (const w of part) {
      const n = w.ranges.reduce((s, r) => s + (r.to - r.from) / w.v.windowMs, 0);
      if (current.length > 0 && windows + n > WINDOWS_PER_STATEMENT) {
        out.push(current);
        current = [];
        windows = 0;
      }
      current.push(w);
      windows += n;
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

/** The minute starts covering a range: what a base refresh hands on to its rolling views. */
function rangeMinutes(range: Range, windowMs: number): number[] {
  const out: number[] = [];
  for (let t = range.from; t < range.to; t += windowMs) out.push(t);
  return out;
}
