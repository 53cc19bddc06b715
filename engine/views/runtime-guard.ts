// A view created at run time is an analyst's SQL that the engine itself runs every tick, on its own database: it gets
// the sandbox's checks (one SELECT, DuckDB's own parser deciding) and a narrower list of what it may read, since this
// database can reach files and the analysts' tables of others.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import type { Role } from '../access/index.ts';
import { shareCondition } from '../query/shares.ts';
import { checkStatement } from '../query/statement.ts';
import { boundSql } from './view-sql.ts';
import type { ViewDef } from './definition.ts';

/** Table functions that make rows from their arguments alone; every other one (read_csv, glob …) reaches outside. */
const ROW_MAKERS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);
/** Tables of the engine a view may not read: others' queries. */
const PRIVATE_TABLES: ReadonlySet<string> = new Set(['sql_audit']);
const FAR_PAST = Date.UTC(2000, 0, 1);

/**
 * Refuses a runtime view's SELECT that does more than read the city's tables, or reads a table its author's `role`
 * may not (its rollups are aggregates everyone reads, so only a reader of a restricted table may make them from
 * it); throws with the reason. Applied from the command stream, the author was checked already: `admin` then.
 */
export async function guardViewSql(conn: Connection, v: ViewDef, role: Role = 'admin'): Promise<void> {
  const facts = await checkStatement(conn, boundSql(v, FAR_PAST, FAR_PAST + v.windowMs), role);
  for (const f of facts.functions) {
    if (f.inFrom && !ROW_MAKERS.has(f.name))
      throw new EngineError(
        'forbidden_sql',
        `${f.name}() reads outside the engine's tables; a view reads the event tables, the reference tables and other views`,
      );
  }
  for (const t of facts.tables) {
    if (t.qualified)
      throw new EngineError(
        'forbidden_sql',
        `write table ${t.name} without a schema or catalog: a view reads this database`,
      );
    if (PRIVATE_TABLES.has(t.name))
      throw new EngineError('forbidden_sql', `a view may not read ${t.name}: it holds every analyst's queries`);
    // The engine runs the view on its own tables, past the share the sandbox would give the author: a view of the
    // dead letters would carry a restricted family's rejected payloads, an aggregate at a time, to every wall.
    if (shareCondition(t.name, { who: '', role }) !== null)
      throw new EngineError(
        'forbidden_sql',
        `a view made by role ${role} may not read ${t.name}: it holds messages that role may not read whole`,
      );
  }
}
