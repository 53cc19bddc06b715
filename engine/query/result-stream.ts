// What a download reads from the sandbox: DuckDB's columns and chunks, and the type names analysts write.
import type { DuckDBDataChunk, DuckDBType } from '../db.ts';

/** What a download sink reads: the columns with DuckDB's types, then the chunks as DuckDB produces them. */
export interface ResultStream {
  columns: { name: string; type: DuckDBType }[];
  chunks(): AsyncIterable<DuckDBDataChunk>;
}

/** DuckDB's type name as analysts write it: JSON stays JSON rather than its storage type VARCHAR. */
export function typeName(t: DuckDBType): string {
  return t.alias ?? t.toString();
}
