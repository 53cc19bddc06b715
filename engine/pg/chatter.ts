// What clients send around the analysts' queries: session settings, transactions, SHOW and version(). The engine
// answers these itself; anything else goes to the sandbox (which refuses SET of an engine setting).
import { PgError } from './sqlstate.ts';
import { OID, type PgType } from './types.ts';

export const SERVER_VERSION = '15.0';

export type Chatter =
  | { type: 'empty' }
  | { type: 'command'; tag: string; transaction?: 'begin' | 'end' }
  | { type: 'deallocate'; name: string | null }
  | { type: 'rows'; columns: { name: string; type: PgType }[]; rows: (string | null)[][] };

const TEXT: PgType = { oid: OID.text, size: -1, modifier: -1, text: String };

/** Settings a client may set for its own session: accepted and kept for SHOW, as they change nothing the engine does. */
const CLIENT_SETTINGS = new Set([
  'application_name',
  'datestyle',
  'extra_float_digits',
  'client_encoding',
  'search_path',
  'timezone',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'intervalstyle',
  'client_min_messages',
  'standard_conforming_strings',
  'bytea_output',
  'default_transaction_isolation',
  'default_transaction_read_only',
  'transaction_isolation',
  'transaction_read_only',
  'jit',
  'row_security',
  'synchronous_commit',
  'names',
  'time zone',
  'geqo',
  'work_mem',
  'max_parallel_workers_per_gather',
]);

/** What SHOW answers for the settings clients ask about on connect; a client's own SET overrides its entry. */
export function serverSettings(user: string): Map<string, string> {
  return new Map([
    ['server_version', SERVER_VERSION],
    ['server_version_num', '150000'],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['datestyle', 'ISO, MDY'],
    ['timezone', 'UTC'],
    ['intervalstyle', 'postgres'],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', 'on'],
    ['transaction_isolation', 'read committed'],
    ['default_transaction_isolation', 'read committed'],
    ['transaction_read_only', 'on'],
    ['default_transaction_read_only', 'on'],
    ['search_path', 'main'],
    ['max_identifier_length', '63'],
    ['application_name', ''],
    ['is_superuser', 'off'],
    ['session_authorization', user],
    ['statement_timeout', '0'],
    ['lc_collate', 'C'],
    ['lc_ctype', 'C'],
    ['extra_float_digits', '1'],
    ['bytea_output', 'hex'],
  ]);
}

/** The ParameterStatus messages a client expects at login (libpq, JDBC and psycopg2 read these). */
export const REPORTED = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'datestyle',
  'timezone',
  'intervalstyle',
  'integer_datetimes',
  'standard_conforming_strings',
  'is_superuser',
  'session_authorization',
  'application_name',
] as const;

/** PostgreSQL's case for the reported names that are not all lower case. */
export const REPORTED_NAME: Record<string, string> = {
  datestyle: 'DateStyle',
  timezone: 'TimeZone',
  intervalstyle: 'IntervalStyle',
};

const VERSION = `PostgreSQL ${SERVER_VERSION} (IOC engine on DuckDB; read-only analysts' SQL) on x86_64-pc-linux-gnu, 64-bit`;

const one = (name: string, value: string | null): Chatter => ({
  type: 'rows',
  columns: [{ name, type: TEXT }],
  rows: [[value]],
});

const unquote = (v: string): string => v.trim().replace(/^'(.*)'$|^"(.*)"$/s, '$1$2');

/** Recognises a client statement; null when it is a query for the sandbox. */
export function chatter(text: string, settings: Map<string, string>): Chatter | null {
  const sql = text.trim().replace(/;\s*$/, '').trim();
  if (sql === '' || /^(;\s*)+$/.test(sql)) return { type: 'empty' };
  let m: RegExpExecArray | null;
  if (/^(BEGIN|START\s+TRANSACTION)\b/i.test(sql)) return { type: 'command', tag: 'BEGIN', transaction: 'begin' };
  if (/^(COMMIT|END)(\s+(WORK|TRANSACTION))?(\s+AND\s+NO\s+CHAIN)?$/i.test(sql))
    return { type: 'command', tag: 'COMMIT', transaction: 'end' };
  if (/^(ROLLBACK|ABORT)(\s+(WORK|TRANSACTION))?(\s+AND\s+NO\s+CHAIN)?$/i.test(sql))
    return { type: 'command', tag: 'ROLLBACK', transaction: 'end' };
  if (/^SAVEPOINT\s+\w+$/i.test(sql)) return { type: 'command', tag: 'SAVEPOINT' };
  if (/^RELEASE(\s+SAVEPOINT)?\s+\w+$/i.test(sql)) return { type: 'command', tag: 'RELEASE' };
  if (/^ROLLBACK\s+TO(\s+SAVEPOINT)?\s+\w+$/i.test(sql)) return { type: 'command', tag: 'ROLLBACK' };
  if (/^DISCARD\s+(ALL|PLANS|SEQUENCES|TEMP|TEMPORARY)$/i.test(sql)) return { type: 'command', tag: 'DISCARD ALL' };
  if ((m = /^DEALLOCATE(?:\s+PREPARE)?\s+(ALL|"?\w+"?)$/i.exec(sql)))
    return { type: 'deallocate', name: m[1]!.toUpperCase() === 'ALL' ? null : unquote(m[1]!) };
  if (/^SET\s+(SESSION\s+CHARACTERISTICS\s+AS\s+)?TRANSACTION\b/i.test(sql)) return { type: 'command', tag: 'SET' };
  if (
    (m = /^SET\s+(?:SESSION\s+|LOCAL\s+)?(TIME\s+ZONE|NAMES|[A-Za-z_][\w.]*)\s*(?:=|\s+TO\s+|\s)\s*(.+)$/is.exec(sql))
  )
    return setting(m[1]!.toLowerCase().replace(/\s+/g, ' '), unquote(m[2]!), settings);
  if ((m = /^RESET\s+([A-Za-z_][\w.]*)$/i.exec(sql))) {
    const name = m[1]!.toLowerCase();
    if (name === 'all' || CLIENT_SETTINGS.has(name)) return { type: 'command', tag: 'RESET' };
    return null;
  }
  if (/^SHOW\s+TRANSACTION\s+ISOLATION\s+LEVEL$/i.test(sql))
    return one('transaction_isolation', settings.get('transaction_isolation')!);
  if ((m = /^SHOW\s+("?[A-Za-z_][\w.]*"?)$/i.exec(sql))) {
    const name = unquote(m[1]!);
    const value = settings.get(name.toLowerCase());
    // Anything else is DuckDB's SHOW (SHOW TABLES, SHOW camera_events), a read the sandbox runs.
    return value === undefined ? null : one(name.toLowerCase(), value);
  }
  if (/^SELECT\s+(pg_catalog\.)?version\(\)(\s+AS\s+"?\w+"?)?$/i.test(sql)) return one('version', VERSION);
  if ((m = /^SELECT\s+(?:pg_catalog\.)?current_setting\(\s*'([\w.]+)'\s*\)$/i.exec(sql))) {
    const value = settings.get(m[1]!.toLowerCase());
    if (value === undefined) throw new PgError('42704', `unrecognized configuration parameter "${m[1]}"`);
    return one('current_setting', value);
  }
  return null;
}

function setting(name: string, value: string, settings: Map<string, string>): Chatter | null {
  const key = name === 'time zone' ? 'timezone' : name === 'names' ? 'client_encoding' : name;
  // An engine setting (threads, memory_limit, …): the sandbox refuses it with its reason.
  if (!CLIENT_SETTINGS.has(key)) return null;
  if (key === 'client_encoding' && !/^(utf-?8|unicode)$/i.test(value))
    throw new PgError('0A000', `client_encoding ${value} is not supported: this server speaks UTF8 only`);
  settings.set(key, value);
  return { type: 'command', tag: 'SET' };
}
