// Checks on an analyst's SQL text before DuckDB runs it: side-effecting functions and literal sizes no time limit can stop.
import { EngineError } from '../errors.ts';

/**
 * Functions callable inside a SELECT that act on the engine rather than read data: they change settings that
 * lock_configuration does not cover (profiling, logging, the parser), force checkpoints that abort the writer's
 * transactions, read raw memory addresses (arrow_scan), or run SQL hidden in a string (query, json_execute_serialized_sql).
 */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'checkpoint', 'force_checkpoint',
  'enable_logging', 'disable_logging', 'truncate_duckdb_logs', 'write_log',
  'enable_profiling', 'disable_profiling',
  'enable_peg_parser', 'disable_peg_parser', 'check_peg_parser',
  'arrow_scan', 'arrow_scan_dumb',
  'query', 'json_execute_serialized_sql',
  'nextval', 'sleep_ms',
]);

/**
 * Scalar functions whose output grows with a numeric argument and that DuckDB computes in one uninterruptible call:
 * `repeat('x', 2000000000)` runs for about 18 s after an interrupt. Literal sizes above the cap are refused up front;
 * computed sizes are left to the time limit, whose answer does not wait for DuckDB (see pool.ts).
 */
const SIZE_FUNCTIONS: ReadonlySet<string> = new Set([
  'repeat', 'lpad', 'rpad', 'range', 'generate_series', 'list_resize', 'array_resize', 'format', 'printf', 'bar',
]);
export const MAX_LITERAL_SIZE = 10_000_000;

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'string'; at: number }
  | { type: 'punct'; text: string; at: number };

/** A lexer close enough to DuckDB's that no code hides in what it takes for a comment or a string. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '-' && sql[i + 1] === '-') { while (i < n && sql[i] !== '\n') i++; continue; }
    if (ch === '/' && sql[i + 1] === '*') {
      // DuckDB nests block comments.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; } else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; } else i++;
      }
      continue;
    }
    const at = i;
    if (ch === "'" || ((ch === 'e' || ch === 'E') && sql[i + 1] === "'")) {
      const escapes = ch !== "'";
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && sql[i] === '\\') { i += 2; continue; }
        if (sql[i] === "'") { if (sql[i + 1] === "'") { i += 2; continue; } i++; break; }
        i++;
      }
      out.push({ type: 'string', at });
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        out.push({ type: 'string', at });
        continue;
      }
    }
    if (ch === '"') {
      let text = '';
      i++;
      while (i < n) {
        if (sql[i] === '"') { if (sql[i + 1] === '"') { text += '"'; i += 2; continue; } i++; break; }
        text += sql[i];
        i++;
      }
      out.push({ type: 'word', text: text.toLowerCase(), at });
      continue;
    }
    if (/[0-9.]/.test(ch) && /[0-9]/.test(ch === '.' ? (sql[i + 1] ?? '') : ch)) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|(?:\d[\d_]*)?(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      const text = m[0] || ch;
      out.push({ type: 'number', value: Number(text.replaceAll('_', '')), at });
      i += text.length;
      continue;
    }
    if (/[\p{L}_]/u.test(ch)) {
      const m = /^[\p{L}\p{N}_$]+/u.exec(sql.slice(i))!;
      out.push({ type: 'word', text: m[0].toLowerCase(), at });
      i += m[0].length;
      continue;
    }
    out.push({ type: 'punct', text: ch, at });
    i++;
  }
  return out;
}

/** The first keyword of the statement, lower case ('' when there is none). */
export function leadingKeyword(sql: string): string {
  for (const t of tokenize(sql)) {
    if (t.type === 'word') return t.text;
    if (t.type === 'punct' && t.text === '(') continue;
    return '';
  }
  return '';
}

/** Refuses a statement that calls a denied function or asks a size function for more than the cap by a literal. */
export function checkFunctions(sql: string): void {
  const tokens = tokenize(sql);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    if (t.type !== 'word' || next?.type !== 'punct' || next.text !== '(') continue;
    if (DENIED_FUNCTIONS.has(t.text)) {
      throw new EngineError('forbidden_sql', `function ${t.text}() is not available to analysts: it acts on the engine, not on the data (at position ${t.at})`);
    }
    if (!SIZE_FUNCTIONS.has(t.text)) continue;
    // A table function in FROM / JOIN streams its rows and stops at an interrupt; only the scalar form is a risk.
    if (inFromClause(tokens, k)) continue;
    const size = literalProduct(tokens, k + 1);
    if (size > MAX_LITERAL_SIZE) {
      throw new EngineError('forbidden_sql', `${t.text}() asks for about ${size.toExponential(1)} elements; the sandbox allows at most ${MAX_LITERAL_SIZE.toLocaleString('en-US')} per call (at position ${t.at})`);
    }
  }
}

const CLAUSES = new Set(['select', 'from', 'join', 'where', 'group', 'having', 'order', 'limit', 'qualify', 'window', 'on', 'using', 'values', 'set', 'returning']);

/** Whether the token at `k` stands in a FROM list: the nearest clause keyword before it, at its own depth, is FROM or JOIN. */
function inFromClause(tokens: readonly Token[], k: number): boolean {
  let depth = 0;
  for (let j = k - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.type === 'punct' && t.text === ')') depth++;
    else if (t.type === 'punct' && t.text === '(') { if (depth === 0) return false; depth--; }
    else if (depth === 0 && t.type === 'word' && CLAUSES.has(t.text)) return t.text === 'from' || t.text === 'join';
  }
  return false;
}

/** The product of the numeric literals between the parenthesis at `open` and its match: nested calls multiply. */
function literalProduct(tokens: readonly Token[], open: number): number {
  let depth = 0;
  let product = 1;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && t.text === '(') depth++;
    else if (t.type === 'punct' && t.text === ')') { depth--; if (depth === 0) break; }
    else if (t.type === 'number' && Number.isFinite(t.value) && Math.abs(t.value) > 1) product *= Math.abs(t.value);
    else if (t.type === 'number' && !Number.isFinite(t.value)) return Number.POSITIVE_INFINITY;
  }
  return product;
}
