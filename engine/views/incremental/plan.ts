// Which views a tick can keep by folding new rows into stored window states instead of recomputing each window from
// the raw events: one plain SELECT over its family's table, grouped by $group, whose aggregates all decompose (sum,
// count, count(DISTINCT …), min, max, avg, each with or without FILTER). Everything else keeps recomputation.
import type { Connection } from '../../db.ts';
import { FAMILY_DEFS } from '../../schema/index.ts';
import { sqlString } from '../../sql/index.ts';
import type { ViewDef } from '../definition.ts';
import { describe, type Catalog } from '../describe.ts';
import { boundSql, bucketSql } from '../view-sql.ts';
import { expression, nodes, parseSelect, rewrite, same, unparse, type Node } from './ast.ts';

export type Fold = 'sum' | 'count' | 'count_star' | 'count_distinct' | 'min' | 'max' | 'avg';

export interface Aggregate {
  fold: Fold;
  /** The argument (absent for count(*)) and the FILTER condition, evaluated per row by DuckDB. */
  arg: Node | null;
  filter: Node | null;
}

export interface Plan {
  view: ViewDef;
  table: string;
  /** The view's WHERE without its $from/$to bounds (null: every row). */
  where: Node | null;
  /** The window start of a row: the view's `t` expression. */
  t: Node;
  aggregates: Aggregate[];
  /** The view's rows from the staged states of its windows (STATES_TABLE): its SELECT with each aggregate replaced. */
  finalSql: string;
}

/** Staged window states: view, window start (epoch ms), area, whether the row is the city-wide one, aggregate values. */
export const STATES_TABLE = 'ivm_states';

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;
const FOLDS = new Set(['sum', 'count', 'count_star', 'min', 'max', 'avg']);
// Bounds no real data uses, to find the $from/$to conjuncts in the tree.
const FROM = Date.UTC(1971, 0, 1, 0, 0, 0, 123);
const TO = Date.UTC(1971, 0, 2, 0, 0, 0, 123);

/** The view's plan, or why it keeps recomputation. */
export async function planView(conn: Connection, v: ViewDef, catalog: Catalog): Promise<Plan | string> {
  const { aggregates } = catalog;
  if (v.base || v.snapshot || v.lookbackMs) return 'merged, snapshot or lookback view';
  const table = FAMILY_DEFS[v.source].table;
  const node = await parseSelect(conn, boundSql(v, FROM, TO));
  if (typeof node === 'string') return node;
  const plain =
    (node['modifiers'] as unknown[]).length === 0 &&
    ((node['cte_map'] as { map: unknown[] }).map ?? []).length === 0 &&
    node['having'] == null &&
    node['qualify'] == null &&
    node['sample'] == null &&
    node['aggregate_handling'] === 'STANDARD_HANDLING';
  if (!plain) return 'WITH, HAVING, QUALIFY, ORDER BY or LIMIT';
  const from = node['from_table'] as Node;
  if (from['type'] !== 'BASE_TABLE' || from['table_name'] !== table || from['schema_name'] || from['catalog_name'])
    return `reads more than ${table}`;
  const groups = node['group_expressions'] as Node[];
  const ref = (n: Node | undefined, name: string) =>
    n?.['type'] === 'COLUMN_REF' && JSON.stringify(n['column_names']) === JSON.stringify([name]);
  if (
    groups.length !== 2 ||
    !ref(groups[0], 't') ||
    !ref(groups[1], 'area') ||
    JSON.stringify(node['group_sets']) !== '[[0,1],[0]]'
  )
    return 'not grouped by $group';
  for (const n of nodes([node['select_list'], node['where_clause']]))
    if (n['class'] === 'SUBQUERY' || n['class'] === 'WINDOW') return 'a subquery or window function';

  const where = await unbounded(conn, node['where_clause'] as Node | null);
  if (typeof where === 'string') return where;
  const select = node['select_list'] as Node[];
  const tItem = select.find((n) => n['alias'] === 't');
  if (!tItem) return 'no t column';
  // A row folds into the window its t names, and a commit marks dirty the windows $bucket names: with any other t
  // (a coarser bucket, a shifted one) rows would land in windows never staged and be lost without a word.
  if (!same(tItem, await expression(conn, bucketSql(v.windowMs)))) return 't is not $bucket';

  // Each aggregate call becomes one folded value; anything else outside them may name only the area.
  const found: Aggregate[] = [];
  const calls: Node[] = [];
  let reason: string | null = null;
  for (const item of select) {
    if (item === tItem) continue;
    rewrite(item, (n) => {
      if (n['class'] === 'FUNCTION' && aggregates.has(String(n['function_name']))) {
        const name = String(n['function_name']);
        const children = n['children'] as Node[];
        const ordered = ((n['order_bys'] as { orders?: unknown[] } | null)?.orders ?? []).length > 0;
        if (!FOLDS.has(name) || ordered || n['export_state'] || children.length > 1)
          reason ??= `${name}(…) does not fold`;
        else if (n['distinct'] && name !== 'count') reason ??= `${name}(DISTINCT …) does not fold`;
        else {
          for (const c of nodes([children, n['filter']]))
            if (c['class'] === 'FUNCTION' && aggregates.has(String(c['function_name']))) reason ??= 'nested aggregates';
          const fold: Fold = n['distinct'] ? 'count_distinct' : (name as Fold);
          found.push({ fold, arg: children[0] ?? null, filter: (n['filter'] as Node | null) ?? null });
          calls.push(n);
        }
        return n;
      }
      if (n['type'] === 'COLUMN_REF' && !ref(n, 'area'))
        reason ??= `column ${JSON.stringify(n['column_names'])} outside an aggregate`;
      return undefined;
    });
  }
  if (reason) return reason;

  // Argument types: sums, means and extremes fold as numbers.
  const probe = { ...node, where_clause: null, group_expressions: [], group_sets: [], select_list: [] as Node[] };
  probe.select_list = found
    .map((a, i) => ({ ...(a.arg ?? { class: 'CONSTANT' }), alias: `a${i}` }) as Node)
    .filter((_, i) => found[i]!.arg);
  const argTypes = new Map<string, string>();
  if (probe.select_list.length > 0) {
    const described = await describe(conn, catalog, await unparse(conn, probe));
    for (const d of described) argTypes.set(d.column_name, d.column_type);
  }
  for (const [i, a] of found.entries())
    if (['sum', 'min', 'max', 'avg'].includes(a.fold) && !NUMERIC.test(argTypes.get(`a${i}`) ?? ''))
      return `${a.fold} of a ${argTypes.get(`a${i}`)} does not fold as a number`;
  // The type each aggregate returns, so its folded value is cast back and the view's expressions see the same types.
  const typed = { ...probe, select_list: calls.map((c, i) => ({ ...c, alias: `r${i}` })) };
  const resultTypes = await describe(conn, catalog, await unparse(conn, typed));

  const replacements = new Map<Node, Node>();
  for (const [i, c] of calls.entries())
    replacements.set(c, await expression(conn, `CAST(s${i} AS ${resultTypes[i]!.column_type})`));
  const g = await expression(conn, 'g');
  const t = await expression(conn, 'make_timestamptz((t_ms * 1000)::BIGINT)', 't');
  const final = {
    ...node,
    from_table: { ...from, table_name: STATES_TABLE },
    where_clause: ((await parseSelect(conn, `SELECT 1 WHERE view = ${sqlString(v.name)}`)) as Node)['where_clause'],
    group_expressions: [],
    group_sets: [],
    select_list: select.map((item) =>
      item === tItem
        ? t
        : rewrite(item, (n) => replacements.get(n) ?? (n['type'] === 'GROUPING_FUNCTION' ? g : undefined)),
    ),
  };
  return { view: v, table, where, t: { ...tItem, alias: '' }, aggregates: found, finalSql: await unparse(conn, final) };
}

/**
 * The WHERE without the conjuncts `ts >= $from` and `ts < $to`; a view that uses its bounds any other way (reading
 * before $from, say) keeps recomputation.
 */
async function unbounded(conn: Connection, where: Node | null): Promise<Node | null | string> {
  if (!where) return 'no $from/$to bounds';
  const lower = await expression(conn, `ts >= TIMESTAMPTZ '${new Date(FROM).toISOString()}'`);
  const upper = await expression(conn, `ts < TIMESTAMPTZ '${new Date(TO).toISOString()}'`);
  const parts = where['type'] === 'CONJUNCTION_AND' ? (where['children'] as Node[]) : [where];
  const rest = parts.filter((p) => !same(p, lower) && !same(p, upper));
  if (rest.length !== parts.length - 2) return 'not bounded by ts >= $from AND ts < $to';
  const text = JSON.stringify(rest);
  if (text.includes('1971-01-0')) return 'reads $from or $to beyond its bounds';
  if (rest.length === 0) return null;
  return rest.length === 1 ? rest[0]! : { ...where, children: rest };
}
