// The first windows a view would have, computed by the analysts' sandbox before the view is created: the author sees
// what the wall would show without the engine running their query on its own database.
import { hanoiWindowStart, instantSql } from '../sql/index.ts';
import type { ViewDef } from './definition.ts';
import { boundSql, rollingSql } from './view-sql.ts';

/** Windows a preview shows, the newest (current) one included. */
export const PREVIEW_WINDOWS = 6;

export function previewSql(v: ViewDef, now: number): { sql: string; from: number; to: number } {
  const to = hanoiWindowStart(now, v.windowMs) + v.windowMs;
  const from = to - PREVIEW_WINDOWS * v.windowMs;
  const inner = v.base !== undefined ? rollingSql(v, from, to) : boundSql(v, from, to);
  const sql = `SELECT * FROM (${inner}) f WHERE f.t >= ${instantSql(from)} AND f.t < ${instantSql(to)} ORDER BY f.t DESC, f.area`;
  return { sql, from, to };
}

const DAY_MS = 86_400_000;

/**
 * What the engine will spend on the view, tried in the sandbox before it is accepted: its SELECT over the last day of
 * events (a backfill reads a day per tick). Null for a view merged from another's rollups, which reads no events.
 */
export function dayCostSql(v: ViewDef, now: number): string | null {
  if (v.base !== undefined) return null;
  return `SELECT count(*) AS windows FROM (${boundSql(v, now - DAY_MS, now)})`;
}
