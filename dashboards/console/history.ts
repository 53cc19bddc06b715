// The analyst's own query history, kept in this browser: the last runs with their outcome, newest first.
export interface HistoryEntry {
  sql: string;
  at: number;
  ms: number;
  rows: number | null;
  error: string | null;
}

const KEY = 'ioc.console.history';
const KEEP = 100;

export function loadHistory(): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]).filter((e) => typeof e?.sql === 'string') : [];
  } catch {
    return [];
  }
}

export function remember(entry: HistoryEntry): HistoryEntry[] {
  // A re-run of the same text moves it to the top rather than piling up copies.
  const list = [entry, ...loadHistory().filter((e) => e.sql !== entry.sql)].slice(0, KEEP);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // A full or disabled storage only costs the history.
  }
  return list;
}

/** `$name` parameters in an SQL text, outside strings and comments, in order of appearance. */
export function paramNames(sql: string): string[] {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|\$\$[\s\S]*?\$\$/g, ' ');
  return [...new Set([...stripped.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
}
