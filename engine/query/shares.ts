// The caller's share of each shared table: the rows a temporary view of the same name lets through for this statement.
import type { Role } from '../access/index.ts';
import type { Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS, mayReadTable } from '../schema/index.ts';
import { sqlString } from '../sql/index.ts';

/** The caller, as the shares see it: its token's name and role. */
export interface Caller {
  who: string;
  role: Role;
}

/**
 * The condition a row of `table` must meet for the caller, or null when it reads the table whole. A rejected message
 * is kept as it came, so a restricted family's dead letters carry its raw events: they are its readers' only, found by
 * the family their topic names in either transport's separator and in any case (a topic is refused before it is
 * trusted to be well formed).
 */
export function shareCondition(table: string, caller: Caller): string | null {
  switch (table) {
    case 'sql_audit':
      return caller.role === 'admin' ? null : `who = ${sqlString(caller.who)}`;
    case 'dead_letters': {
      const hidden = FAMILIES.filter((f) => !mayReadTable(FAMILY_DEFS[f].table, caller.role));
      if (hidden.length === 0) return null;
      return `NOT coalesce(regexp_matches(lower(topic), ${sqlString(`^city[/.](${hidden.join('|')})([/.]|$)`)}), false)`;
    }
    default:
      return null;
  }
}

/**
 * Puts the caller's share of a shared table in front of it for this statement: a temporary view of the same name
 * (temporary objects come first in DuckDB's search path), or none when it reads the table whole. Values are bound
 * into the view as quoted literals: views take no parameters. The statement's transaction is rolled back after it,
 * and the view with it.
 */
export async function shareView(conn: Connection, qualified: string, table: string, caller: Caller): Promise<void> {
  const condition = shareCondition(table, caller);
  if (condition === null) await conn.run(`DROP VIEW IF EXISTS temp.main.${table}`);
  else await conn.run(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT * FROM ${qualified} WHERE ${condition}`);
}
