// The SQL a download runs: a view's rollup rows, or a published query's rows, each with small cells withheld. A row
// whose count `n` is under the minimum keeps only its keys (t, area, other times): its value and count are null.
import type { Params } from '../db.ts';
import { EngineError } from '../errors.ts';
import type { DatasetSource } from './publication.ts';

/** What a download asks for: event-time bounds in epoch ms, and one area. */
export interface ReadRange {
  from?: number | undefined;
  to?: number | undefined;
  area?: string | undefined;
}

export interface ReadPlan {
  sql: string;
  params: Params;
}

/** A view's download without bounds: its last week. */
const DEFAULT_SPAN_MS = 7 * 86_400_000;
/** Longest span one download of a view covers: a year of one-minute windows over every ward is already large. */
const MAX_SPAN_MS = 366 * 86_400_000;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const KEY_TYPE = /^(DATE|TIME|TIMESTAMP)/i;

export function viewReadPlan(view: string, range: ReadRange, minCount: number, now = Date.now()): ReadPlan {
  const to = range.to ?? now;
  const from = range.from ?? to - DEFAULT_SPAN_MS;
  if (from >= to) throw new EngineError('bad_request', 'query "from": must be before "to"');
  if (to - from > MAX_SPAN_MS)
    throw new EngineError('bad_request', 'query "from": a download covers at most 366 days; narrow from/to');
  const params: Params = {
    open_min: minCount,
    open_from: new Date(from).toISOString(),
    open_to: new Date(to).toISOString(),
  };
  if (range.area !== undefined) params.open_area = range.area;
  const sql = `SELECT t, area, CASE WHEN n >= $open_min THEN value END AS value, CASE WHEN n >= $open_min THEN n END AS n,
  n < $open_min AS suppressed
FROM ${quote(view)} WHERE t >= $open_from::TIMESTAMPTZ AND t < $open_to::TIMESTAMPTZ${range.area !== undefined ? ' AND area = $open_area' : ''}
ORDER BY t, area`;
  return { sql, params };
}

type QuerySource = Extract<DatasetSource, { kind: 'query' }>;

/**
 * A published query inside a wrapper that withholds every column but its keys (`t`, `area`, dates and times) where
 * `n` is under the minimum or unknown. from/to/area go to the query's own parameters of those names, else filter its
 * `t` and `area` columns; a dataset with neither refuses the parameter.
 */
export function queryReadPlan(
  q: QuerySource,
  columns: readonly { name: string; type: string }[],
  range: ReadRange,
  minCount: number,
): ReadPlan {
  if (!columns.some((c) => c.name === 'n'))
    throw new EngineError(
      'bad_request',
      `field "query": the query must return a count column "n" (the events behind each row), so that small cells can be withheld`,
    );
  const declared = new Map(q.params.map((p) => [p.name, p]));
  const params: Params = { open_min: minCount };
  for (const p of q.params) params[p.name] = p.default;
  const where: string[] = [];
  const has = (name: string) => columns.some((c) => c.name === name);
  const bound = (what: 'from' | 'to' | 'area', value: string, column: string, test: string) => {
    if (declared.has(what)) params[what] = value;
    else if (has(column)) {
      params[`open_${what}`] = value;
      where.push(test);
    } else throw new EngineError('bad_request', `query "${what}": this dataset has no ${column} column to filter on`);
  };
  if (range.from !== undefined)
    bound('from', new Date(range.from).toISOString(), 't', 'q."t" >= $open_from::TIMESTAMPTZ');
  if (range.to !== undefined) bound('to', new Date(range.to).toISOString(), 't', 'q."t" < $open_to::TIMESTAMPTZ');
  if (range.area !== undefined) bound('area', range.area, 'area', 'q."area" = $open_area');
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to)
    throw new EngineError('bad_request', 'query "from": must be before "to"');
  const shown = (c: { name: string; type: string }) =>
    c.name === 't' || c.name === 'area' || KEY_TYPE.test(c.type)
      ? `q.${quote(c.name)}`
      : `CASE WHEN q."n" >= $open_min THEN q.${quote(c.name)} END AS ${quote(c.name)}`;
  const inner = q.sql.trim().replace(/;\s*$/, '');
  const sql = `SELECT ${columns.map(shown).join(', ')}, (q."n" IS NULL OR q."n" < $open_min) AS suppressed
FROM (
${inner}
) AS q${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  return { sql, params };
}
