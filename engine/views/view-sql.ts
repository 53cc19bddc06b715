// The SQL a refresh runs: a view's template with its placeholders filled in, or the merge of its base's rollups.
import type { Connection } from '../db.ts';
import {
  type Bindings,
  hanoiWindowStartMsSql,
  hanoiWindowStartSql,
  instantSql,
  mergedValueSql,
  mergedWeightSql,
  sqlString,
} from '../sql/index.ts';
import { FAMILY_DEFS } from '../schema/index.ts';
import { isRolling, ViewError, type ViewDef } from './definition.ts';
import { describe, type Catalog } from './describe.ts';

/** `$area`: the row's area; 'hanoi' on the city-wide grouping set, 'unassigned' for events placed in no area. */
export const AREA_SQL = "CASE WHEN grouping(area) = 1 THEN 'hanoi' ELSE coalesce(area, 'unassigned') END";
/** `$group`: one row per window `t` and area, plus one per window for the whole city (`$area` names it 'hanoi'). */
export const GROUP_SQL = 'GROUPING SETS ((t, area), (t))';

/**
 * SQL for `$bucket`: the start of the event's window on Hanoi time. Hanoi keeps UTC+7 all year, so integer arithmetic
 * on epoch milliseconds gives the same windows as the time-zone database at a fraction of the cost (day windows
 * through the time-zone database were two orders of magnitude slower).
 */
export function bucketSql(windowMs: number): string {
  return hanoiWindowStartSql('ts', windowMs);
}

/** A view's template with the placeholders that do not move filled in once: a refresh then adds only its range. */
const templates = new WeakMap<ViewDef, string>();

function template(v: ViewDef): string {
  let sql = templates.get(v);
  if (sql === undefined) {
    const w = v.lateWindowMs ?? v.windowMs;
    const late = `(epoch_ms(received_at) >= ${hanoiWindowStartMsSql('ts', w)} + ${w + v.latenessMs})`;
    sql = v.sql
      .replaceAll(/\$late\b/g, late)
      .replaceAll(/\$bucket\b/g, bucketSql(v.windowMs))
      .replaceAll(/\$area\b/g, AREA_SQL)
      .replaceAll(/\$group\b/g, GROUP_SQL);
    templates.set(v, sql);
  }
  return sql;
}

/**
 * The view's SELECT with its placeholders filled in: the range [$from, $to), `$bucket`, `$area`, `$group`, and the
 * `$late` test (the event arrived after its window closed plus lateness). The range goes in as literals, or as
 * parameters of `b` (the same text for every range, so its plan is kept).
 */
export function boundSql(v: ViewDef, from: number, to: number, b?: Bindings): string {
  const [f, t] = [instantSql(from, b), instantSql(to, b)];
  return template(v)
    .replaceAll(/\$from\b/g, f)
    .replaceAll(/\$to\b/g, t);
}

/**
 * The view's rows at both levels: its own query (the wards and the city), then the same query over the events with
 * each ward's code replaced by its district's (`parents`), keeping the district rows. The event tables are shadowed by
 * CTEs of the same names, so the view's SQL runs unchanged: a district's value is what the view computes over the
 * district's events, whatever its aggregates (a median, a NowCast) or its joins. The codes are replaced by a CASE,
 * not a join: a join let the planner build its hash table on the events' side (out of memory on a day's rebuild), and
 * both the CASE and NOT MATERIALIZED keep the view's own time bounds on the table's scan.
 */
export function levelsSql(
  v: ViewDef,
  from: number,
  to: number,
  parents: ReadonlyMap<string, string>,
  b?: Bindings,
): string {
  if (parents.size === 0) return boundSql(v, from, to, b);
  const whens = [...parents].map(([ward, district]) => `WHEN ${sqlString(ward)} THEN ${sqlString(district)}`);
  const mapped = `CASE area ${whens.join(' ')} END`;
  const districts = [...new Set(parents.values())].map(sqlString).join(', ');
  const shadows = Object.values(FAMILY_DEFS).map(
    ({ table }) => `${table} AS NOT MATERIALIZED (SELECT * REPLACE (${mapped} AS area) FROM main.${table})`,
  );
  return `SELECT * FROM (${boundSql(v, from, to, b)})
    UNION ALL
    SELECT * FROM (WITH ${shadows.join(', ')}
      SELECT * FROM (${boundSql(v, from, to, b)}) WHERE area IN (${districts}))`;
}

/**
 * The SELECT that merges a view's windows [from, to) from its base's rollups: for a rolling view, each hop takes the
 * base windows of the last `range`; for a view merged from a finer base (its partials, or a `base:` without
 * `range:`), each window takes the base windows inside it.
 */
export function rollingSql(v: ViewDef, from: number, to: number, b?: Bindings): string {
  const within = isRolling(v)
    ? `b.t >= h.t - to_milliseconds(${v.rangeMs! - v.windowMs}) AND b.t <= h.t`
    : `b.t >= h.t AND b.t < h.t + to_milliseconds(${v.windowMs})`;
  // The base rows any hop can reach, by constant bounds: the join reads a few blocks, not the base's whole history.
  const lower = instantSql(from - (isRolling(v) ? v.rangeMs! - v.windowMs : 0), b);
  const upper = instantSql(to + v.windowMs, b);
  const step = `to_milliseconds(${v.windowMs})`;
  return `SELECT h.t AS t, b.area AS area, ${mergedValueSql(v.merge, 'b')} AS value, sum(b.n) AS n,
      ${mergedWeightSql(v.merge, 'b')} AS weight, max(b.sources) AS sources, sum(b.late) AS late
    FROM (SELECT range AS t FROM range(${instantSql(from, b)}, ${instantSql(to, b)}, ${step})) h
    JOIN (SELECT * FROM ${v.base} WHERE t >= ${lower} AND t < ${upper}) b ON ${within}
    GROUP BY h.t, b.area`;
}

const REQUIRED = ['t', 'area', 'value', 'n'];
const OPTIONAL = ['weight', 'sources', 'late'];
const FAR_PAST = Date.UTC(2000, 0, 1);

/** The view's output columns, checked once against the real tables: a broken query stops start-up with its file. */
export async function outputColumns(conn: Connection, v: ViewDef, catalog: Catalog): Promise<Set<string>> {
  let cols: string[];
  try {
    const sql = boundSql(v, FAR_PAST, FAR_PAST + v.windowMs);
    cols = (await describe(conn, catalog, sql)).map((r) => r.column_name);
  } catch (err) {
    throw new ViewError(v.file, 1, `the query does not run: ${(err as Error).message}`);
  }
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length) {
    throw new ViewError(v.file, 1, `the query must return columns t, area, value, n; missing ${missing.join(', ')}`);
  }
  const unknown = cols.filter((c) => !REQUIRED.includes(c) && !OPTIONAL.includes(c));
  if (unknown.length) {
    const allowed = `a view returns t, area, value, n and optionally ${OPTIONAL.join(', ')}`;
    throw new ViewError(v.file, 1, `unknown output column(s) ${unknown.join(', ')}: ${allowed}`);
  }
  return new Set(cols);
}
