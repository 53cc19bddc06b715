// Exactly-once storage without a primary-key index: a batch is checked against the stored rows of its own stretches of
// event time only. A repeat (a broker's redelivery, a device's retry) carries the same id and the same time, so it falls
// in them; block min/max zone maps let the scan skip everything else. The index cost 2-3× the append itself.
import type { Connection } from '../db.ts';
import { Bindings, instantSql } from '../sql/index.ts';

/** Past this many separate stretches in one batch (a replay, say), the closest ones are joined. */
const MAX_RANGES = 32;
/** Stretches closer than this are scanned as one. */
const JOIN_WITHIN_MS = 1000;

/** The batch's event times, given per minute as [earliest, latest], as few [from, to) stretches in epoch ms. */
export function timeRanges(spans: Iterable<readonly [number, number]>): [number, number][] {
  const sorted = [...spans].map(([a, b]): [number, number] => [a, b + 1]).sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r[0] - last[1] <= JOIN_WITHIN_MS) last[1] = Math.max(last[1], r[1]);
    else merged.push(r);
  }
  if (merged.length <= MAX_RANGES) return merged;
  // Split at the widest gaps only.
  const gaps = merged.slice(1).map((r, i) => ({ at: i + 1, width: r[0] - merged[i]![1] }));
  const splits = new Set(
    gaps
      .sort((a, b) => b.width - a.width)
      .slice(0, MAX_RANGES - 1)
      .map((g) => g.at),
  );
  const out: [number, number][] = [[...merged[0]!]];
  for (let i = 1; i < merged.length; i++) {
    if (splits.has(i)) out.push([...merged[i]!]);
    else out.at(-1)![1] = Math.max(out.at(-1)![1], merged[i]![1]);
  }
  return out;
}

/**
 * The stored ids of `table` within the ranges: bounds known when the statement runs, so each range's scan is pruned
 * by the zone maps; as arguments of `b`, the text repeats for every batch with as many ranges.
 */
export function storedIdsIn(table: string, ranges: readonly [number, number][], b?: Bindings): string {
  return ranges
    .map(([from, to]) => `SELECT id FROM ${table} WHERE ts >= ${instantSql(from, b)} AND ts < ${instantSql(to, b)}`)
    .join(' UNION ALL ');
}

export interface Repeats {
  withinBatch: number;
  stored: number;
}

/** One table's part of a batch: its staging table and the batch's stretches of event time in it. */
export interface Staged {
  table: string;
  stage: string;
  ranges: readonly [number, number][];
}

/**
 * For each table, staged ids seen twice in the batch and staged ids already stored, in one statement for the whole
 * batch: the common answer, none, skips the dedup work.
 */
export async function countRepeats(conn: Connection, parts: readonly Staged[]): Promise<Repeats[]> {
  if (parts.length === 0) return [];
  const b = new Bindings();
  const columns = parts.flatMap(({ table, stage, ranges }, i) => [
    `(SELECT count(*) - count(DISTINCT id) FROM ${stage})::INTEGER AS w${i}`,
    `${
      ranges.length === 0
        ? '0'
        : `(SELECT count(*) FROM (${storedIdsIn(table, ranges, b)}) e WHERE e.id IN (SELECT id FROM ${stage}))`
    }::INTEGER AS s${i}`,
  ]);
  const [row] = await conn.objectsPlanned<Record<string, number>>(`SELECT ${columns.join(', ')}`, b);
  return parts.map((_, i) => ({ withinBatch: row?.[`w${i}`] ?? 0, stored: row?.[`s${i}`] ?? 0 }));
}

/** The staged rows to insert: the first of each id within the batch, and none already stored. */
export function newRows(
  stage: string,
  table: string,
  ranges: readonly [number, number][],
  repeats: Repeats,
  b: Bindings,
): string {
  const from =
    repeats.withinBatch > 0
      ? `(SELECT * FROM ${stage} QUALIFY row_number() OVER (PARTITION BY id ORDER BY rowid) = 1)`
      : stage;
  return repeats.stored > 0 ? `${from} WHERE id NOT IN (${storedIdsIn(table, ranges, b)})` : from;
}

/** Tables created before dedup moved here still carry a primary key on id: they keep INSERT OR IGNORE. */
export async function keyedTables(conn: Connection): Promise<Set<string>> {
  const rows = await conn.objects<{ table_name: string }>(
    "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND constraint_column_names = ['id'] AND schema_name = 'main'",
  );
  return new Set(rows.map((r) => r.table_name));
}
