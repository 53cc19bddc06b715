// CSV to wire events: a header of wire field names (dots for nested ones, as `counts.car`), one event per row.
//
// Mapping: an empty cell leaves the field out; `true`/`false` become booleans; a number becomes a number,
// except in the text fields below (ids, names, codes), which stay text even when they look like numbers;
// `ts` and `dueAt` stay text (RFC 3339) unless they are all digits (epoch milliseconds). A column named
// `family` (camera, sensor, service) says the row's family and is not sent.
import { parse, type Options } from 'csv-parse/sync';

/** Fields that are text whatever they look like. */
const TEXT_FIELDS = new Set([
  'id',
  'cameraId',
  'sensorId',
  'dossierId',
  'procedure',
  'agency',
  'area',
  'kind',
  'status',
  'channel',
  'level',
  'incident.type',
  'metrics.operator',
  'family',
]);
const TIME_FIELDS = new Set(['ts', 'dueAt']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * How replay files are read (RFC 4180: quoted cells may hold commas, doubled quotes and line breaks): every line a
 * record, blank ones skipped, short or long rows kept (missing cells are empty), a stray quote inside a cell kept.
 */
export const CSV_OPTIONS = {
  skip_empty_lines: true,
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ['\r\n', '\n', '\r'],
} as const satisfies Options;

/** A CSV file that is not well formed (an unclosed quote, text after a closing quote); names the file and the line. */
export class CsvFileError extends Error {
  override readonly name = 'CsvFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: ${reason}`, options);
  }
}

/** Splits CSV text into rows of cells. */
export function* csvRows(chunks: Iterable<string>): Generator<string[]> {
  yield* parse([...chunks].join(''), CSV_OPTIONS) as string[][];
}

/** One row under its header → a wire event (and the family column, if any). */
export function csvEvent(
  header: readonly string[],
  cells: readonly string[],
): { event: Record<string, unknown>; family?: string } {
  const event: Record<string, unknown> = {};
  let family: string | undefined;
  for (let c = 0; c < header.length; c++) {
    const name = header[c]!.trim();
    const raw = cells[c] ?? '';
    if (name === '' || raw === '') continue;
    if (name === 'family') {
      family = raw.trim();
      continue;
    }
    setPath(event, name, convert(name, raw));
  }
  return family === undefined ? { event } : { event, family };
}

function convert(name: string, raw: string): unknown {
  if (TEXT_FIELDS.has(name)) return raw;
  if (TIME_FIELDS.has(name)) return /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  const t = raw.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  return NUMBER.test(t) ? Number(t) : raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const p of parts.slice(0, -1)) {
    const next = at[p];
    if (typeof next !== 'object' || next === null) at[p] = {};
    at = at[p] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = value;
}
