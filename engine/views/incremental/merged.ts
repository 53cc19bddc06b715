// Views merged from a base view's rollups (rolling ranges, or finer windows into coarser ones), kept from the base
// rows this engine holds: the rows a tick's base refresh returns update them, and a base window not held is read
// from the rollup table once. The merge rules are the engine's own (sum, weighted mean, max, min; n and late add up,
// sources is the largest), the same as mergedValueSql, so the tick needs no range join per merged view.
import type { Connection } from '../../db.ts';
import { hanoiWindowStart, sqlString, timestampLiteral } from '../../sql/index.ts';
import { coalesce } from '../../windows/index.ts';
import { isRolling, type ViewDef } from '../definition.ts';
import { ROLLUP_TABLE } from '../view-state.ts';
import { stageRows } from './stage.ts';

/** A base rollup row as held: `t` in epoch ms. */
export interface BaseRow {
  t: number;
  area: string;
  value: number | null;
  n: number;
  weight: number | null;
  sources: number | null;
  late: number;
}

/** Staged merged rows: what the tick's write statement reads for the views kept here. */
export const MERGED_TABLE = 'merged_states';

const MERGED_COLUMNS = [
  ['view', 'VARCHAR'],
  ['t_ms', 'DOUBLE'],
  ['area', 'VARCHAR'],
  ['value', 'DOUBLE'],
  ['n', 'DOUBLE'],
  ['weight', 'DOUBLE'],
  ['sources', 'DOUBLE'],
  ['late', 'DOUBLE'],
] as const;

/** Base windows read from the table in one tick at most; past it, the merged view runs its SQL merge instead. */
const LOAD_LIMIT = 5000;
/**
 * Base windows merged for one view in one tick at most (hops × windows per hop): past it, as when a day of history is
 * rolled up at once, the view's SQL merge does the work in DuckDB rather than here, row by row.
 */
const MERGE_LIMIT = 20_000;

interface Held {
  windowMs: number;
  /** Base windows held whole: every row of each is here (a window without rows holds an empty map). */
  rows: Map<number, Map<string, BaseRow>>;
  /** How far back from the newest held window a merge can still reach. */
  reachMs: number;
}

export class MergedFolds {
  private readonly held = new Map<string, Held>();
  private readonly byName: Map<string, ViewDef>;

  constructor(
    private readonly conn: Connection,
    views: readonly ViewDef[],
  ) {
    this.byName = new Map(views.map((v) => [v.name, v]));
    for (const v of views) {
      if (!v.base) continue;
      const base = this.byName.get(v.base)!;
      // A base change re-opens the hops a whole range ahead, so the newest window held can be that far in the future.
      const reach = 2 * (isRolling(v) ? v.rangeMs! : v.windowMs) + v.latenessMs + 600_000;
      const h = this.held.get(v.base);
      if (h) h.reachMs = Math.max(h.reachMs, reach);
      else this.held.set(v.base, { windowMs: base.windowMs, rows: new Map(), reachMs: reach });
    }
  }

  async init(): Promise<void> {
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${MERGED_TABLE} (${MERGED_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`,
    );
  }

  /** The view's rows from the staged merges. */
  finalSql(view: string): string {
    return `SELECT make_timestamptz((t_ms * 1000)::BIGINT) AS t, area, value, n::BIGINT AS n, weight,
      sources::BIGINT AS sources, late::BIGINT AS late FROM ${MERGED_TABLE} WHERE view = ${sqlString(view)}`;
  }

  /** Rows a base refresh wrote: a held window takes them; one not held is read whole when a merge needs it. */
  observe(base: string, row: BaseRow): void {
    const h = this.held.get(base);
    const window = h?.rows.get(row.t);
    if (window) window.set(row.area, row);
  }

  /** A base row a recompute deleted: a held window no longer has it. */
  forget(base: string, t: number, area: string): void {
    this.held.get(base)?.rows.get(t)?.delete(area);
  }

  /** Merges the dirty windows of the given merged views and stages them; answers the views staged. */
  async prepare(dirty: ReadonlyMap<string, ReadonlySet<number>>): Promise<Set<string>> {
    const staged = new Set<string>();
    const wanted = new Map<string, Set<number>>();
    const plans: { v: ViewDef; hops: number[]; windows: (h: number) => number[] }[] = [];
    for (const [name, hops] of dirty) {
      const v = this.byName.get(name)!;
      const h = this.held.get(v.base!)!;
      const windows = (hop: number): number[] => {
        const out: number[] = [];
        const [from, to] = isRolling(v) ? [hop - (v.rangeMs! - v.windowMs), hop + 1] : [hop, hop + v.windowMs];
        for (let t = hanoiWindowStart(from + h.windowMs - 1, h.windowMs); t < to; t += h.windowMs) out.push(t);
        return out;
      };
      if (hops.size * windows(hops.values().next().value ?? 0).length > MERGE_LIMIT) continue;
      const missing = new Set<number>();
      for (const hop of hops) for (const t of windows(hop)) if (!h.rows.has(t)) missing.add(t);
      const all = wanted.get(v.base!) ?? new Set<number>();
      for (const t of missing) all.add(t);
      if (all.size > LOAD_LIMIT) continue;
      wanted.set(v.base!, all);
      plans.push({ v, hops: [...hops], windows });
    }
    await this.load(wanted);
    const cols: unknown[][] = Array.from({ length: 8 }, () => []);
    for (const { v, hops, windows } of plans) {
      const h = this.held.get(v.base!)!;
      for (const hop of hops) {
        const acc = new Map<string, Merge>();
        for (const t of windows(hop))
          for (const row of h.rows.get(t)?.values() ?? []) {
            let m = acc.get(row.area);
            if (!m) acc.set(row.area, (m = new Merge(v.merge)));
            m.add(row);
          }
        for (const [area, m] of acc) {
          const r = m.row();
          for (const [i, x] of [v.name, hop, area, r.value, r.n, r.weight, r.sources, r.late].entries())
            cols[i]!.push(x);
        }
      }
      staged.add(v.name);
    }
    await stageRows(this.conn, MERGED_TABLE, MERGED_COLUMNS, cols);
    for (const h of this.held.values()) trim(h);
    return staged;
  }

  /** Reads the base windows not held, in one statement. */
  private async load(wanted: Map<string, Set<number>>): Promise<void> {
    const bounds: string[] = [];
    for (const [base, starts] of wanted) {
      const h = this.held.get(base)!;
      for (const r of coalesce(starts, h.windowMs, 0))
        bounds.push(
          `(view = ${sqlString(base)} AND t >= ${timestampLiteral(r.from)} AND t < ${timestampLiteral(r.to)})`,
        );
    }
    if (bounds.length === 0) return;
    // A SELECT per stretch: DuckDB skips the row groups outside each one's view and times, where an OR of them made it
    // read the whole table (17 against 4.6 ms for two stretches over a day of rollups).
    const rows = await this.conn.objects<BaseRow & { view: string }>(
      bounds
        .map(
          (b) => `SELECT view, epoch_ms(t)::DOUBLE AS t, area, value, n::DOUBLE AS n, weight,
            sources::DOUBLE AS sources, late::DOUBLE AS late FROM ${ROLLUP_TABLE} WHERE ${b}`,
        )
        .join('\n        UNION ALL '),
    );
    for (const [base, starts] of wanted) {
      const h = this.held.get(base)!;
      for (const t of starts) h.rows.set(t, new Map());
    }
    for (const r of rows) this.held.get(r.view)!.rows.get(r.t)?.set(r.area, r);
  }
}

/** Keeps the base windows a merge can still reach from the newest one. */
function trim(h: Held): void {
  let newest = Number.NEGATIVE_INFINITY;
  for (const t of h.rows.keys()) newest = Math.max(newest, t);
  for (const t of h.rows.keys()) if (t < newest - h.reachMs) h.rows.delete(t);
}

/** One merged row: the rules of mergedValueSql and mergedWeightSql, over the base rows added. */
class Merge {
  private value: number | null = null;
  private weighted = 0;
  private weights = 0;
  private values = 0;
  private n = 0;
  private late = 0;
  private sources: number | null = null;

  constructor(private readonly rule: ViewDef['merge']) {}

  add(b: BaseRow): void {
    this.n += b.n;
    this.late += b.late;
    if (b.sources !== null) this.sources = Math.max(this.sources ?? b.sources, b.sources);
    if (b.value === null) return;
    this.values++;
    switch (this.rule) {
      case 'sum':
        this.value = (this.value ?? 0) + b.value;
        break;
      case 'max':
        this.value = Math.max(this.value ?? b.value, b.value);
        break;
      case 'min':
        this.value = Math.min(this.value ?? b.value, b.value);
        break;
      case 'mean': {
        const w = b.weight ?? b.n;
        this.weighted += b.value * w;
        this.weights += w;
        break;
      }
    }
  }

  row(): { value: number | null; n: number; weight: number | null; sources: number | null; late: number } {
    const mean = this.rule === 'mean';
    const value = mean ? (this.weights === 0 ? null : this.weighted / this.weights) : this.value;
    return {
      value,
      n: this.n,
      weight: mean && this.values > 0 ? this.weights : null,
      sources: this.sources,
      late: this.late,
    };
  }
}
