// psql's describe queries (\d, \dt, \dv, \d NAME) that DuckDB's pg_catalog views cannot run (pg_get_userbyid,
// OPERATOR(pg_catalog.~), pg_am …), answered from the sandbox catalog: the same tables and columns POST /api/sql reads.
import type { Role } from '../access/index.ts';
import type { Sandbox } from '../query/index.ts';
import type { Chatter } from './chatter.ts';
import { arrayOid, OID, type PgType } from './types.ts';

type Table = Awaited<ReturnType<Sandbox['catalog']>>['tables'][number];

/** Where table OIDs start, as in PostgreSQL (below are the system's): a table's OID is its place in the catalog. */
const FIRST_OID = 16384;
const SCHEMA = 'main';
const OWNER = 'ioc';

const pg = (oid: number): PgType => ({ oid, size: -1, modifier: -1, text: String });
const TEXT = pg(OID.text);
const BOOL = pg(OID.bool);
const INT = pg(OID.int4);
const OIDT = pg(26);

const rows = (columns: [string, PgType][], values: (string | null)[][]): Chatter => ({
  type: 'rows',
  columns: columns.map(([name, type]) => ({ name, type })),
  rows: values,
});

/** DuckDB's type names as psql's format_type would print the PostgreSQL type each goes out as. */
function formatType(duck: string): string {
  const list = /^(.*)\[\]$/.exec(duck);
  if (list) return `${formatType(list[1]!)}[]`;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(duck);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  const names: Record<string, string> = {
    BOOLEAN: 'boolean',
    TINYINT: 'smallint',
    SMALLINT: 'smallint',
    INTEGER: 'integer',
    BIGINT: 'bigint',
    HUGEINT: 'numeric',
    UBIGINT: 'numeric',
    FLOAT: 'real',
    DOUBLE: 'double precision',
    VARCHAR: 'text',
    JSON: 'json',
    DATE: 'date',
    TIME: 'time without time zone',
    TIMESTAMP: 'timestamp without time zone',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
    INTERVAL: 'interval',
    BLOB: 'bytea',
    UUID: 'uuid',
  };
  return names[duck.toUpperCase()] ?? duck.toLowerCase();
}

/** A psql name pattern, already turned into a POSIX regular expression by psql: `'^(camera.*)$'`. */
function pattern(sql: string, column: string): RegExp | null {
  const m = new RegExp(`${column.replace('.', '\\.')} OPERATOR\\(pg_catalog\\.~\\) '((?:[^']|'')*)'`).exec(sql);
  return m ? new RegExp(m[1]!.replaceAll("''", "'")) : null;
}

function visible(sql: string, tables: Table[]): { table: Table; oid: number }[] {
  const name = pattern(sql, 'c.relname');
  const schema = pattern(sql, 'n.nspname');
  if (schema && !schema.test(SCHEMA)) return [];
  return tables
    .map((table, i) => ({ table, oid: FIRST_OID + i }))
    .filter(({ table }) => !name || name.test(table.name));
}

const kindOf = (t: Table): string => (t.kind === 'view' ? 'v' : 'r');

/** The relation kinds a list asks for (\dt: 'r','p'; \dv: 'v'; \d: all of them). */
function kinds(sql: string): Set<string> {
  const m = /c\.relkind IN \(([^)]*)\)/.exec(sql);
  return new Set(m ? [...m[1]!.matchAll(/'(\w*)'/g)].map((k) => k[1]!) : ['r', 'v']);
}

const oidIn = (sql: string): number | null => {
  const m = /\b(?:oid|attrelid|indrelid|inhrelid|inhparent|conrelid|tgrelid|polrelid|stxrelid|prrelid) = '(\d+)'/.exec(
    sql,
  );
  return m ? Number(m[1]) : null;
};

/** Footers of \d NAME about objects the engine never has: indexes, constraints, triggers, policies, parents, publications. */
const NEVER = /pg_catalog\.pg_(index|constraint|trigger|policy|inherits|statistic_ext|publication|partitioned_table)\b/;

/** PostgreSQL's names of the type OIDs the door sends, as format_type prints them. */
const OID_NAMES = new Map<number, string>([
  [OID.bool, 'boolean'],
  [OID.bytea, 'bytea'],
  [OID.int8, 'bigint'],
  [OID.int2, 'smallint'],
  [OID.int4, 'integer'],
  [OID.text, 'text'],
  [OID.json, 'json'],
  [OID.float4, 'real'],
  [OID.float8, 'double precision'],
  [OID.date, 'date'],
  [OID.time, 'time without time zone'],
  [OID.timestamp, 'timestamp without time zone'],
  [OID.timestamptz, 'timestamp with time zone'],
  [OID.interval, 'interval'],
  [OID.numeric, 'numeric'],
  [OID.uuid, 'uuid'],
]);

/**
 * psql's \gdesc: after describing the statement it asks the server to name each column's type, as
 * `SELECT name AS "Column", pg_catalog.format_type(tp, tpm) AS "Type" FROM (VALUES ('id', '25'::pg_catalog.oid, -1), …)`.
 */
function gdesc(text: string): Chatter | null {
  if (!/^SELECT name AS "Column", pg_catalog\.format_type\(tp, tpm\) AS "Type"\s+FROM \(VALUES /.test(text))
    return null;
  const columns = [...text.matchAll(/\(E?'((?:[^']|'')*)', '(\d+)'::pg_catalog\.oid, (-?\d+)\)/g)].map((m) => {
    const oid = Number(m[2]);
    const element = [...OID_NAMES].find(([o]) => arrayOid(o) === oid);
    const name = OID_NAMES.get(oid) ?? (element ? `${element[1]}[]` : `oid ${oid}`);
    return [m[1]!.replaceAll("''", "'"), name];
  });
  return rows(
    [
      ['Column', TEXT],
      ['Type', TEXT],
    ],
    columns,
  );
}

/** Answers from the catalog `role` may read: a table it may not read is not there, as on POST /api/sql. */
export async function catalogAnswer(sql: string, sandbox: Sandbox, role: Role): Promise<Chatter | null> {
  if (!sql.includes('pg_catalog.')) return null;
  const text = sql.trim();
  const described = gdesc(text);
  if (described) return described;
  if (
    /^SELECT n\.nspname as "Schema",\s+c\.relname as "Name"/.test(text) &&
    text.includes('FROM pg_catalog.pg_class c')
  ) {
    const { tables } = await sandbox.catalog(role);
    const wanted = kinds(text);
    const found = visible(text, tables).filter(({ table }) => wanted.has(kindOf(table)));
    return rows(
      [
        ['Schema', TEXT],
        ['Name', TEXT],
        ['Type', TEXT],
        ['Owner', TEXT],
      ],
      found.map(({ table }) => [SCHEMA, table.name, table.kind, OWNER]),
    );
  }
  if (/^SELECT c\.oid,\s+n\.nspname,\s+c\.relname\s+FROM pg_catalog\.pg_class c/.test(text)) {
    const { tables } = await sandbox.catalog(role);
    return rows(
      [
        ['oid', OIDT],
        ['nspname', TEXT],
        ['relname', TEXT],
      ],
      visible(text, tables).map(({ table, oid }) => [String(oid), SCHEMA, table.name]),
    );
  }
  const oid = oidIn(text);
  if (oid === null) return null;
  const table = (await sandbox.catalog(role)).tables[oid - FIRST_OID];
  if (/^SELECT c\.relchecks, c\.relkind/.test(text)) {
    const columns: [string, PgType][] = [
      ['relchecks', INT],
      ['relkind', TEXT],
      ['relhasindex', BOOL],
      ['relhasrules', BOOL],
      ['relhastriggers', BOOL],
      ['relrowsecurity', BOOL],
      ['relforcerowsecurity', BOOL],
      ['relhasoids', BOOL],
      ['relispartition', BOOL],
      ['array_to_string', TEXT],
      ['reltablespace', OIDT],
      ['reloftype', TEXT],
      ['relpersistence', TEXT],
      ['relreplident', TEXT],
      ['amname', TEXT],
    ];
    const values = table
      ? [
          [
            '0',
            kindOf(table),
            'f',
            'f',
            'f',
            'f',
            'f',
            'f',
            'f',
            '',
            '0',
            '',
            'p',
            'd',
            table.kind === 'view' ? null : 'heap',
          ],
        ]
      : [];
    return rows(columns, values);
  }
  if (/^SELECT a\.attname,\s+pg_catalog\.format_type\(a\.atttypid, a\.atttypmod\)/.test(text)) {
    return rows(
      [
        ['attname', TEXT],
        ['format_type', TEXT],
        ['pg_get_expr', TEXT],
        ['attnotnull', BOOL],
        ['attcollation', TEXT],
        ['attidentity', TEXT],
        ['attgenerated', TEXT],
      ],
      (table?.columns ?? []).map((c) => [c.name, formatType(c.type), null, c.nullable ? 'f' : 't', null, '', '']),
    );
  }
  if (NEVER.test(text)) return rows([], []);
  return null;
}
