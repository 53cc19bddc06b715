// Retention: raw events older than RETAIN_RAW_DAYS are written to Parquet (one file per table and Hanoi day) and
// deleted; rollups are kept much longer (RETAIN_ROLLUP_DAYS). What an analyst needs later stays readable.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS } from '../schema/index.ts';
import {
  DAY_MS,
  hanoiDate,
  hanoiMidnight,
  hanoiWindowStartMsSql,
  timestampLiteral,
  timestampParam,
} from '../sql/index.ts';

export interface RetentionOptions {
  rawDays: number;
  rollupDays: number;
  /** Folder for the Parquet archive; null deletes without archiving. */
  archiveDir: string | null;
}

export interface RetentionReport {
  archivedFiles: string[];
  deletedRows: Record<string, number>;
  cutoff: string;
  /** What was deleted, as (table, time column, bound): a copy of the data (the analysts' replica) drops the same. */
  pruned: { table: string; column: string; beforeMs: number }[];
}

/** The oldest event time the store still accepts: a later event for an older window could never be made right. */
export function retentionCutoff(now: number, rawDays: number): number {
  return hanoiMidnight(now - rawDays * DAY_MS);
}

export async function runRetention(
  conn: Connection,
  rollupTables: readonly string[],
  opts: RetentionOptions,
  now = Date.now(),
): Promise<RetentionReport> {
  const cutoff = retentionCutoff(now, opts.rawDays);
  const report: RetentionReport = {
    archivedFiles: [],
    deletedRows: {},
    cutoff: new Date(cutoff).toISOString(),
    pruned: [],
  };
  const raw = [
    ...FAMILIES.map((f) => ({ table: FAMILY_DEFS[f].table, time: 'ts' })),
    { table: 'dead_letters', time: 'received_at' },
  ];
  for (const { table, time } of raw) {
    const days = await conn.objects<{ day: number }>(
      `SELECT DISTINCT ${hanoiWindowStartMsSql(time, DAY_MS)} AS day FROM ${table} WHERE ${time} < $cutoff::TIMESTAMPTZ ORDER BY day`,
      { cutoff: timestampParam(cutoff) },
    );
    if (days.length === 0) continue;
    if (opts.archiveDir) {
      const dir = join(opts.archiveDir, table);
      mkdirSync(dir, { recursive: true });
      for (const { day } of days) {
        // A day already archived by a run that stopped before its delete is written again with the same rows.
        const file = join(dir, `${hanoiDate(day)}.parquet`);
        const merge = existsSync(file) ? ` UNION ALL BY NAME SELECT * FROM read_parquet('${file}')` : '';
        const tmp = `${file}.tmp`;
        // COPY takes no parameters: the day's bounds go in as literals.
        const from = timestampLiteral(day);
        const to = timestampLiteral(day + DAY_MS);
        await conn.run(
          `COPY (SELECT DISTINCT * FROM (SELECT COLUMNS(c -> c <> '_batch') FROM ${table} WHERE ${time} >= ${from} AND ${time} < ${to}${merge})) TO '${tmp}' (FORMAT parquet, COMPRESSION zstd)`,
        );
        renameSync(tmp, file);
        report.archivedFiles.push(file);
      }
    }
    report.deletedRows[table] = await conn.run(`DELETE FROM ${table} WHERE ${time} < $cutoff::TIMESTAMPTZ`, {
      cutoff: timestampParam(cutoff),
    });
    report.pruned.push({ table, column: time, beforeMs: cutoff });
  }
  const rollupCutoff = hanoiMidnight(now - opts.rollupDays * DAY_MS);
  for (const table of rollupTables) {
    const n = await conn.run(`DELETE FROM ${table} WHERE t < $cutoff::TIMESTAMPTZ`, {
      cutoff: timestampParam(rollupCutoff),
    });
    if (n > 0) {
      report.deletedRows[table] = n;
      report.pruned.push({ table, column: 't', beforeMs: rollupCutoff });
    }
  }
  return report;
}
