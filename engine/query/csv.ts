// CSV (RFC 4180) of result chunks: times in ISO 8601, nested values and JSON as JSON text, BLOBs in base64.
import { JSDuckDBValueConverter, toJson, type DuckDBDataChunk } from '../db.ts';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvCell(value: unknown): string {
  const v = toJson(value);
  if (v === null || v === undefined) return '';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(names: readonly string[]): string {
  return `${names.map(csvCell).join(',')}\r\n`;
}

/** The chunk's first `rows` rows as CSV lines. */
export function csvRows(chunk: DuckDBDataChunk, rows = chunk.rowCount): string {
  let out = '';
  const all = chunk.convertRows(JSDuckDBValueConverter);
  for (let i = 0; i < rows; i++) out += `${all[i]!.map(csvCell).join(',')}\r\n`;
  return out;
}
