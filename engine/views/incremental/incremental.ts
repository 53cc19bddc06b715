// Incremental view maintenance: per tick, one scan per family reads the rows committed since the last tick (and, for
// a window not held yet, all of its rows) with every foldable view's expressions evaluated by DuckDB, which also
// sums them up per area and window (a tick's few new rows are summed up here instead, see delta.ts); those partial
// states are merged into window states held here, and the dirty windows' states are staged for the views' own
// expressions to finish in the tick's one write statement. States are only ever built from committed rows (a window
// not held is read whole), so a crash can neither lose nor double-count a partial aggregate: a restarted engine
// rebuilds what it needs.
import type { Connection } from '../../db.ts';
import { FAMILIES, FAMILY_DEFS, type Family } from '../../schema/index.ts';
import { BATCH_COLUMN } from '../../store/index.ts';
import { Bindings, timestampLiteral } from '../../sql/index.ts';
import { coalesce } from '../../windows/index.ts';
import type { Logger } from '../../log.ts';
import type { ViewDef } from '../definition.ts';
import { expression, parseSelect, same, unparse, type Node } from './ast.ts';
import { DELTA_ROWS, DeltaPlan } from './delta.ts';
import { planView, STATES_TABLE, type Plan } from './plan.ts';
import type { Catalog } from '../describe.ts';
import { stageRows } from './stage.ts';
import { WindowState, type PartialState } from './state.ts';

/**
 * A window not held is read whole from the raw events, once, into the engine's memory; past this many in one tick, or
 * past COLD_SPAN_MS of events (two windows at least), the view recomputes instead: DuckDB aggregates a day of history
 * far faster than it hands the rows over to be folded here.
 */
const COLD_LIMIT = 64;
const COLD_SPAN_MS = 4 * 3_600_000;

interface FamilyScan {
  plans: Plan[];
  /** The projection of every plan's expressions over the family's table, as DuckDB wrote it. */
  inner: string;
  /** The grouping columns of the inner projection: the area, and each distinct window start (`t`) of the plans. */
  keys: string;
  /** Per plan, positions in a grouped row: its window start, its row count, and per aggregate its partial state. */
  columns: { t: number; n: number; parts: PartialState[] }[];
  /** Position of the group's count of rows, all plans together. */
  rowsAt: number;
  /** The grouped columns after `cold`: the area, the window starts, the row count, then every plan's states. */
  outer: string;
  /** Rows of batches up to this one are folded into the windows held. */
  folded: number;
  /** The same grouping made here, for a tick's few new rows. */
  delta: DeltaPlan;
}

export class Incremental {
  private readonly scans = new Map<Family, FamilyScan>();
  private readonly plans = new Map<string, Plan>();
  private readonly windows = new Map<string, Map<number, WindowState>>();
  /** Newest committed batch per family, as told by the commits. */
  private readonly committed = new Map<Family, number>();
  /** Rows committed per family since its last scan (at most: repeats dropped by the commit are not known here). */
  private readonly unfolded = new Map<Family, number>();
  private width = 0;
  /** Rows folded so far: committed since the window was held (delta), and read whole for a window not held (cold). */
  readonly stats = { deltaRows: 0, coldRows: 0 };
  /** Why each view that is not folded keeps recomputation. */
  readonly recomputed = new Map<string, string>();
  /** Ward → district: a ward's rows also fold into its district's state. */
  private parents: ReadonlyMap<string, string> = new Map();

  constructor(
    private readonly conn: Connection,
    private readonly log: Logger,
  ) {}

  /** `catalog`: read by the caller after its last change of tables or views (see describe.ts). */
  async init(views: readonly ViewDef[], parents: ReadonlyMap<string, string>, catalog: Catalog): Promise<void> {
    this.parents = parents;
    const planned: Plan[] = [];
    for (const v of views) {
      if (v.base) continue;
      const plan = await planView(this.conn, v, catalog).catch((err: Error) => `cannot plan: ${err.message}`);
      if (typeof plan === 'string') this.recomputed.set(v.name, plan);
      else planned.push(plan);
    }
    this.width = Math.max(1, ...planned.map((p) => p.aggregates.length));
    const s = Array.from({ length: this.width }, (_, i) => `s${i} DOUBLE`).join(', ');
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${STATES_TABLE} (view VARCHAR, t_ms DOUBLE, area VARCHAR, g INTEGER, ${s})`,
    );
    for (const p of planned) {
      try {
        await this.conn.run(`DESCRIBE ${p.finalSql}`);
        this.plans.set(p.view.name, p);
        this.windows.set(p.view.name, new Map());
      } catch (err) {
        this.recomputed.set(p.view.name, `its folded form does not bind: ${(err as Error).message}`);
      }
    }
    for (const f of FAMILIES) {
      const plans = [...this.plans.values()].filter((p) => p.table === FAMILY_DEFS[f].table);
      if (plans.length > 0) this.scans.set(f, await this.scanFor(f, plans));
    }
  }

  /** The views kept by folding. */
  get folded(): string[] {
    return [...this.plans.keys()];
  }

  /** Whether the view's dirty windows come from folded states. */
  folds(view: string): boolean {
    return this.plans.has(view);
  }

  /** The view's rows from the states staged for this tick. */
  finalSql(view: string): string {
    return this.plans.get(view)!.finalSql;
  }

  /** A batch committed: its rows (`rows` of them, when known) are the next scan's to fold. */
  onCommit(family: Family, batch: number, rows = Number.POSITIVE_INFINITY): void {
    this.committed.set(family, Math.max(this.committed.get(family) ?? 0, batch));
    this.unfolded.set(family, (this.unfolded.get(family) ?? 0) + rows);
  }

  /** Takes over what an earlier instance was told of the commits (made again when the views changed). */
  carry(from: Incremental): void {
    for (const [f, b] of from.committed) this.committed.set(f, Math.max(this.committed.get(f) ?? 0, b));
  }

  /** Rows came another way than a numbered batch: the windows they touched are read whole when next needed. */
  forget(view: string, starts: Iterable<number>): void {
    const held = this.windows.get(view);
    if (held) for (const s of starts) held.delete(s);
  }

  /**
   * Folds what was committed since the last tick and stages the dirty windows of the folded views. Answers the views
   * staged; the others (too many windows not held, or a failed scan) are left to recomputation this tick.
   */
  async prepare(dirty: ReadonlyMap<string, ReadonlySet<number>>): Promise<Set<string>> {
    const staged = new Set<string>();
    const out: unknown[][] = [[], [], [], [], ...Array.from({ length: this.width }, () => [])];
    for (const [family, scan] of this.scans) {
      const earliest = this.earliestHeld(scan);
      const cold = new Map<string, Set<number>>();
      const mine = scan.plans.filter((p) => {
        const starts = dirty.get(p.view.name);
        if (!starts || starts.size === 0) return false;
        const held = this.windows.get(p.view.name)!;
        const absent = [...starts].filter((s) => !held.has(s));
        if (absent.length > COLD_LIMIT || absent.length * p.view.windowMs > Math.max(COLD_SPAN_MS, 2 * p.view.windowMs))
          return false;
        cold.set(p.view.name, new Set(absent));
        return true;
      });
      const upTo = this.committed.get(family) ?? scan.folded;
      if (mine.length === 0 && upTo <= scan.folded) continue;
      // Taken with upTo, before any await: the rows of the batches this scan folds.
      const few = (this.unfolded.get(family) ?? Number.POSITIVE_INFINITY) <= DELTA_ROWS;
      this.unfolded.set(family, 0);
      let rows: unknown[][];
      try {
        rows = await this.read(scan, upTo, earliest, mine, cold, few);
      } catch (err) {
        this.log.warn('incremental scan failed; its views recompute this tick', { family, err });
        continue;
      }
      for (const p of mine)
        for (const s of cold.get(p.view.name)!)
          this.windows.get(p.view.name)!.set(s, new WindowState(p.aggregates, this.parents));
      this.fold(scan, rows, cold);
      scan.folded = upTo;
      for (const p of mine) {
        const held = this.windows.get(p.view.name)!;
        for (const t of dirty.get(p.view.name)!) {
          const w = held.get(t);
          if (!w) continue;
          for (const [area, g, values] of w.rows()) {
            out[0]!.push(p.view.name);
            out[1]!.push(t);
            out[2]!.push(area);
            out[3]!.push(g);
            for (let i = 0; i < this.width; i++) out[4 + i]!.push(values[i] ?? null);
          }
        }
        staged.add(p.view.name);
        this.trim(p, held);
      }
    }
    await stageRows(
      this.conn,
      STATES_TABLE,
      [
        ['view', 'VARCHAR'],
        ['t_ms', 'DOUBLE'],
        ['area', 'VARCHAR'],
        ['g', 'INTEGER'],
        ...Array.from({ length: this.width }, (_, i) => [`s${i}`, 'DOUBLE'] as const),
      ],
      out,
    );
    return staged;
  }

  /**
   * The start of the earliest window held by any of the scan's views (+∞: none). A row's window starts at or before
   * its ts, so a newer row cannot fold into a held window that starts later.
   */
  private earliestHeld(scan: FamilyScan): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const p of scan.plans) for (const t of this.windows.get(p.view.name)!.keys()) earliest = Math.min(earliest, t);
    return earliest;
  }

  /**
   * The scan of one tick: rows of batches after the last folded one that can reach a window held (`held`: the
   * earliest such window's start), and every row of the windows not held. New rows older than every window held fold
   * into nothing: a history written at start-up (a day of rows, no window held yet) is not read twice.
   */
  private async read(
    scan: FamilyScan,
    upTo: number,
    held: number,
    plans: Plan[],
    cold: Map<string, Set<number>>,
    few: boolean,
  ): Promise<unknown[][]> {
    const bounds: string[] = [];
    for (const p of plans)
      for (const r of coalesce(cold.get(p.view.name)!, p.view.windowMs, 0))
        bounds.push(`(__ts >= ${timestampLiteral(r.from)} AND __ts < ${timestampLiteral(r.to)})`);
    // The common scan, rows of new batches only, has the same text every tick with the batch numbers as arguments,
    // and keeps its plan. One that also reads windows whole (at start-up, after late events) has bounds that differ
    // each time: it is written with literals and planned once.
    const fresh = upTo > scan.folded && Number.isFinite(held);
    const grouped = fresh && few ? await this.readFew(scan, upTo, held) : null;
    const b = bounds.length === 0 ? new Bindings() : undefined;
    const batches = (n: number) => (b ? b.bigint(n) : String(n));
    const parts: string[] = [];
    if (fresh && !grouped)
      parts.push(
        `SELECT false AS cold, ${scan.outer} FROM (${scan.inner}) WHERE __b > ${batches(scan.folded)} AND __b <= ${batches(upTo)} AND __ts >= ${b ? b.instant(held) : timestampLiteral(held)} GROUP BY ${scan.keys}`,
      );
    if (bounds.length > 0)
      parts.push(
        `SELECT true AS cold, ${scan.outer} FROM (${scan.inner}) WHERE (__b IS NULL OR __b <= ${upTo}) AND (${bounds.join(' OR ')}) GROUP BY ${scan.keys}`,
      );
    if (parts.length === 0) return grouped ?? [];
    const sql = parts.join(' UNION ALL ');
    const rows = (b ? await this.conn.queryPlanned(sql, b) : await this.conn.query(sql)).rows;
    return grouped ? [...grouped, ...rows] : rows;
  }

  /** The new batches' rows grouped here, when there are at most DELTA_ROWS of them (null: more). */
  private async readFew(scan: FamilyScan, upTo: number, held: number): Promise<unknown[][] | null> {
    const b = new Bindings();
    const { rows } = await this.conn.queryPlanned(
      `SELECT ${scan.delta.select} FROM (${scan.inner}) WHERE __b > ${b.bigint(scan.folded)} AND __b <= ${b.bigint(upTo)} AND __ts >= ${b.instant(held)} LIMIT ${DELTA_ROWS + 1}`,
      b,
    );
    return rows.length > DELTA_ROWS ? null : scan.delta.group(rows);
  }

  /** Merges each grouped row (an area's partial states in one window of each plan) into the windows held. */
  private fold(scan: FamilyScan, rows: unknown[][], cold: Map<string, Set<number>>): void {
    for (const row of rows) {
      const isCold = row[0] === true;
      const n = row[scan.rowsAt] as number;
      if (isCold) this.stats.coldRows += n;
      else this.stats.deltaRows += n;
      const area = row[1] as string | null;
      for (let i = 0; i < scan.plans.length; i++) {
        const c = scan.columns[i]!;
        if ((row[c.n] as number) === 0) continue;
        const p = scan.plans[i]!;
        const t = row[c.t] as number;
        const coldHere = cold.get(p.view.name)?.has(t) ?? false;
        // A window read whole this tick takes only the whole read; a held one only what is new.
        if (isCold !== coldHere) continue;
        this.windows.get(p.view.name)!.get(t)?.merge(area, row, c.parts);
      }
    }
  }

  /** Keeps the recent windows a late event may still reach; an older one is read whole again if it ever must be. */
  private trim(p: Plan, held: Map<number, WindowState>): void {
    let newest = Number.NEGATIVE_INFINITY;
    for (const t of held.keys()) newest = Math.max(newest, t);
    const keep = Math.max(3 * p.view.windowMs, p.view.latenessMs + p.view.windowMs + 600_000);
    for (const t of held.keys()) if (t < newest - keep) held.delete(t);
  }

  private async scanFor(family: Family, plans: Plan[]): Promise<FamilyScan> {
    const table = FAMILY_DEFS[family].table;
    const base = await parseSelect(this.conn, `SELECT 1 FROM ${table}`);
    if (typeof base === 'string') throw new Error(base);
    const list: Node[] = [
      await expression(this.conn, BATCH_COLUMN, '__b'),
      await expression(this.conn, 'ts', '__ts'),
      await expression(this.conn, 'area', '__area'),
    ];
    // Views of one window width share their window start: rows are grouped by each distinct one once.
    const starts: Node[] = [];
    const startOf = (t: Node): number => {
      let k = starts.findIndex((s) => same(s, t));
      if (k < 0) {
        k = starts.push(t) - 1;
        list.push({ ...t, alias: `t${k}` });
      }
      return k;
    };
    const planStarts = plans.map((p) => startOf(p.t));
    // Row positions: 0 is `cold`, 1 the area, then the window starts, the group's row count, then each plan's states.
    const outer: string[] = [
      '__area',
      ...starts.map((_, k) => `epoch_ms(t${k})::DOUBLE AS t${k}`),
      'count(*) AS __rows',
    ];
    const delta = new DeltaPlan(starts.length);
    delta.rows();
    const at = () => outer.length + 1;
    const columns: FamilyScan['columns'] = [];
    for (const [i, p] of plans.entries()) {
      list.push(p.where ? { ...p.where, alias: `w${i}` } : await expression(this.conn, 'true', `w${i}`));
      const n = at();
      outer.push(`count(CASE WHEN w${i} THEN 1 END)`);
      delta.add('when', `w${i}`, null, null);
      const parts: PartialState[] = [];
      for (const [j, a] of p.aggregates.entries()) {
        const arg = `a${i}_${j}`;
        if (a.arg) list.push({ ...a.arg, alias: arg });
        if (a.filter) list.push({ ...a.filter, alias: `f${i}_${j}` });
        // `agg(CASE WHEN … THEN x END)` rather than `agg(x) FILTER (WHERE …)`: the same value, and DuckDB takes four
        // times as long per FILTER (a scan's hundred aggregates: 36 against 9 ms over 700 rows).
        const when = `w${i}${a.filter ? ` AND f${i}_${j}` : ''}`;
        const of = (x: string) => `CASE WHEN ${when} THEN ${x} END`;
        const [w, f] = [`w${i}`, a.filter ? `f${i}_${j}` : null];
        const value = at();
        switch (a.fold) {
          case 'count_star':
            outer.push(`count(${of('1')})`);
            delta.add('when', w, f, null);
            break;
          case 'count':
            outer.push(`count(${of(arg)})`);
            delta.add('count', w, f, arg);
            break;
          case 'count_distinct':
            // list_distinct drops the NULLs (rows outside the view or the FILTER) as well as the repeats.
            outer.push(`list_distinct(list(${of(arg)}))`);
            delta.add('distinct', w, f, arg);
            break;
          default:
            outer.push(`${a.fold === 'avg' ? 'sum' : a.fold}(${of(`${arg}::DOUBLE`)})`);
            delta.add(a.fold === 'avg' ? 'sum' : a.fold, w, f, arg);
        }
        const counted = a.fold === 'sum' || a.fold === 'avg' || a.fold === 'min' || a.fold === 'max';
        parts.push({ value, count: counted ? at() : -1 });
        if (counted) {
          outer.push(`count(${of(arg)})`);
          delta.add('count', w, f, arg);
        }
      }
      columns.push({ t: 2 + planStarts[i]!, n, parts });
    }
    const inner = await unparse(this.conn, { ...base, select_list: list });
    const [top] = await this.conn.objects<{ b: number | null }>(`SELECT max(${BATCH_COLUMN}) AS b FROM ${table}`);
    return {
      plans,
      inner,
      keys: ['__area', ...starts.map((_, k) => `t${k}`)].join(', '),
      columns,
      rowsAt: 2 + starts.length,
      outer: outer.join(', '),
      folded: Number(top?.b ?? 0),
      delta,
    };
  }
}
