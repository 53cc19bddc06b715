// What a download reads from the sandbox: DuckDB's columns and chunks, and the type names analysts write.
import type { DuckDBDataChunk, DuckDBType } from '../db.ts';

/** What a download sink reads: the columns with DuckDB's types, then the chunks as DuckDB produces them. */
export interface ResultStream {
  columns: { name: string; type: DuckDBType }[];
  /** When the data read was taken, if the analysts' copy had not caught up (ms since the epoch), else null. */
  staleAsOf: number | null;
  chunks(): AsyncIterable<DuckDBDataChunk>;
}

/** DuckDB's type name as analysts write it: JSON stays JSON rather than its storage type VARCHAR. */
export function typeName(t: DuckDBType): string {
  return t.alias ?? t.toString();
}

/** The header that says a download's data is as of an earlier time (the analysts' copy was catching up), if it is. */
export function staleHeader(staleAsOf: number | null): Record<string, string> {
  return staleAsOf === null ? {} : { 'x-stale-as-of': new Date(staleAsOf).toISOString() };
}
