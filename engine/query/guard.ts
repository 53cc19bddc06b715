// Checks on the syntax tree DuckDB's own parser made of an analyst's SELECT: functions that act on the engine, sizes no time limit can stop, tables a role may not read.
import { EngineError } from '../errors.ts';
import { mayReadTable, restrictedTables } from '../schema/index.ts';

/**
 * Functions callable inside a SELECT that act on the engine rather than read data: they change settings that
 * lock_configuration does not cover (profiling, logging, the parser), force checkpoints that abort the writer's
 * transactions, read raw memory addresses (arrow_scan), run SQL hidden in a string (query, query_table,
 * json_execute_serialized_sql), or reveal the server's paths and settings (duckdb_settings, current_setting,
 * duckdb_databases, duckdb_extensions, duckdb_temporary_files).
 */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'checkpoint',
  'force_checkpoint',
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'write_log',
  'duckdb_logs',
  'duckdb_log_contexts',
  'enable_profiling',
  'disable_profiling',
  'enable_peg_parser',
  'disable_peg_parser',
  'check_peg_parser',
  'arrow_scan',
  'arrow_scan_dumb',
  'query',
  'query_table',
  'json_execute_serialized_sql',
  'json_deserialize_sql',
  'nextval',
  'setval',
  'currval',
  'sleep_ms',
  'duckdb_settings',
  'current_setting',
  'duckdb_databases',
  'duckdb_extensions',
  'duckdb_temporary_files',
  'duckdb_secrets',
  'which_secret',
  'duckdb_secret_types',
  'pragma_database_list',
  'pragma_user_agent',
  'duckdb_external_file_cache',
]);

/**
 * Scalar functions whose output grows with a numeric argument and that DuckDB computes in one uninterruptible call:
 * `repeat('x', 2000000000)` runs for about 18 s after an interrupt. Literal sizes above the cap are refused up front;
 * computed sizes are left to the time and memory limits.
 */
const SIZE_FUNCTIONS: ReadonlySet<string> = new Set([
  'repeat',
  'lpad',
  'rpad',
  'range',
  'generate_series',
  'list_resize',
  'array_resize',
  'format',
  'printf',
  'bar',
]);
export const MAX_LITERAL_SIZE = 10_000_000;

/** Longest SQL text the sandbox parses (characters). */
export const MAX_SQL_LENGTH = 100_000;

/**
 * Tables some read whole and others only a share of, through a view the sandbox puts in front (see sandbox.ts):
 * the audit (admins all of it, others their own queries), the dead letters (a restricted family's rejected payloads
 * only its readers).
 */
const SHARED_TABLES: ReadonlySet<string> = new Set(['sql_audit', 'dead_letters']);

/**
 * Table functions that take a table's name as a string and read it: pragma_storage_info answers each column's
 * minimum and maximum, so the name they are given is checked as the FROM clause's names are.
 */
const TABLE_NAMING: ReadonlySet<string> = new Set(['pragma_storage_info', 'pragma_table_info', 'pragma_show']);

/** What the walk found: every function called (with where it stands) and every table named. */
export interface StatementFacts {
  functions: { name: string; size: number; inFrom: boolean }[];
  /** `via`: the function that names the table in a string; `name` is '' when that string is computed. */
  tables: { name: string; qualified: boolean; via?: string }[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = { [k: string]: Json };

const isNode = (v: Json | undefined): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Refuses text the parser should never see: NUL (DuckDB stops at it and runs the prefix) and oversize statements. */
export function checkText(sql: string): void {
  if (sql.includes('\0')) throw new EngineError('bad_request', 'field "sql" contains a NUL character (\\0); remove it');
  if (sql.length > MAX_SQL_LENGTH)
    throw new EngineError(
      'too_large',
      `field "sql" is ${sql.length} characters; the sandbox takes at most ${MAX_SQL_LENGTH}`,
    );
}

/**
 * Walks the tree of `json_serialize_sql` without recursion (a deeply nested statement must not blow the stack) and
 * lists the functions and tables it names.
 */
export function inspect(tree: Json): StatementFacts {
  const facts: StatementFacts = { functions: [], tables: [] };
  const stack: { node: Json; inFrom: boolean }[] = [{ node: tree, inFrom: false }];
  while (stack.length > 0) {
    const { node, inFrom } = stack.pop()!;
    if (Array.isArray(node)) {
      for (const child of node) stack.push({ node: child, inFrom: false });
      continue;
    }
    if (!isNode(node)) continue;
    if (node['type'] === 'BASE_TABLE' && typeof node['table_name'] === 'string') {
      facts.tables.push({
        name: node['table_name'].toLowerCase(),
        qualified: Boolean(node['schema_name']) || Boolean(node['catalog_name']),
      });
    }
    if (node['type'] === 'SHOW_REF' && typeof node['table_name'] === 'string' && node['table_name'] !== '') {
      facts.tables.push({ name: node['table_name'].replace(/^"|"$/g, '').toLowerCase(), qualified: false });
    }
    if (typeof node['function_name'] === 'string') {
      const name = node['function_name'].toLowerCase();
      if (TABLE_NAMING.has(name)) facts.tables.push(namedIn(name, node['children'] ?? null));
      facts.functions.push({
        name,
        size: SIZE_FUNCTIONS.has(name) ? literalProduct(node['children'] ?? null) : 1,
        inFrom,
      });
    }
    for (const [key, child] of Object.entries(node)) {
      // A table function in FROM streams its rows and stops at an interrupt; only the scalar form is a size risk.
      stack.push({ node: child, inFrom: node['type'] === 'TABLE_FUNCTION' && key === 'function' });
    }
  }
  return facts;
}

/** The table a table-naming function is given: its last dotted part, unquoted; '' when the name is not a literal. */
function namedIn(via: string, children: Json): { name: string; qualified: boolean; via: string } {
  const first = Array.isArray(children) ? (children[0] ?? null) : null;
  const constant = isNode(first) && first['class'] === 'CONSTANT' ? (first['value'] ?? null) : null;
  const value = isNode(constant) ? constant['value'] : null;
  if (typeof value !== 'string') return { name: '', qualified: false, via };
  const parts = value.split('.');
  const last = parts.at(-1)!.trim().replace(/^"|"$/g, '').toLowerCase();
  return { name: last, qualified: parts.length > 1, via };
}

/** The product of the numeric constants below a call's arguments: nested calls multiply. */
function literalProduct(children: Json): number {
  let product = 1;
  const stack: Json[] = [children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!isNode(node)) continue;
    if (node['class'] === 'CONSTANT' && isNode(node['value'] ?? null)) {
      const raw = (node['value'] as Node)['value'];
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(raw)
            ? Number(raw)
            : Number.NaN;
      if (Number.isFinite(n) && Math.abs(n) > 1) product *= Math.abs(n);
      continue;
    }
    for (const child of Object.values(node)) stack.push(child);
  }
  return product;
}

/**
 * Refuses what the facts show the caller's role may not do: engine functions for all, a restricted table for those
 * who are not its readers, a shared table named past the caller's view of it for all but admins.
 */
export function checkFacts(facts: StatementFacts, role: string): void {
  for (const f of facts.functions) {
    if (DENIED_FUNCTIONS.has(f.name)) {
      throw new EngineError(
        'forbidden_sql',
        `function ${f.name}() is not available to analysts: it acts on the engine or reveals its settings, not the city's data`,
      );
    }
    if (!f.inFrom && f.size > MAX_LITERAL_SIZE) {
      throw new EngineError(
        'forbidden_sql',
        `${f.name}() asks for about ${f.size.toExponential(1)} elements; the sandbox allows at most ${MAX_LITERAL_SIZE.toLocaleString('en-US')} per call`,
      );
    }
  }
  for (const t of facts.tables) {
    if (t.via && t.name === '')
      throw new EngineError('forbidden_sql', `${t.via}() takes the table's name as a string literal here`);
    if (!mayReadTable(t.name, role)) {
      const readers = restrictedTables().get(t.name)!;
      throw new EngineError(
        'forbidden_sql',
        `table ${t.name} is read by the ${readers.join(' and ')} roles only; role ${role} may not read it`,
        { details: { table: t.name, readers: [...readers] } },
      );
    }
  }
  if (role === 'admin') return;
  for (const t of facts.tables) {
    if (SHARED_TABLES.has(t.name) && t.qualified) {
      throw new EngineError(
        'forbidden_sql',
        `name ${t.name} without a schema or catalog: you read your share of it through a view of that name`,
      );
    }
  }
}

/** Whether the statement reads a shared table, so the sandbox must put the caller's view of it in front. */
export function readsShared(facts: StatementFacts): string[] {
  return [...new Set(facts.tables.filter((t) => SHARED_TABLES.has(t.name)).map((t) => t.name))];
}
