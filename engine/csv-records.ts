// CSV read with csv-parse, for the engine's small files (the views' reference tables, the holidays list) and replay
// files: RFC 4180 records (quoted commas, quotes and line breaks), each with the line it starts on.
import { CsvError, parse, type Info } from 'csv-parse/sync';

export interface CsvRecord {
  /** The record's fields, trimmed (quoted ones too). */
  fields: string[];
  /** The line the record starts on, counting from 1 (a quoted line break makes a record span lines). */
  line: number;
}

/** A CSV text that is not well formed: an unclosed quote, text after a closing quote. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A record as csv-parse gives it with `info` and `raw` (its types know only plain records). */
export interface ParsedRecord {
  record: string[];
  raw: string;
  info: Info;
}

/**
 * Small files: blank lines skipped, a leading byte-order mark dropped, fields trimmed, rows of any length (the caller
 * checks); `#` comment lines skipped too unless `comments: false` (where a first field may begin with #).
 */
export function csvRecords(text: string, options: { comments?: boolean } = {}): CsvRecord[] {
  const comments = options.comments ?? true;
  let rows: ParsedRecord[];
  try {
    rows = parse(text, {
      info: true,
      raw: true,
      trim: true,
      bom: true,
      ...(comments ? { comment: '#', comment_no_infix: true } : {}),
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as ParsedRecord[];
  } catch (err) {
    if (err instanceof CsvError)
      throw new CsvSyntaxError(typeof err.lines === 'number' ? err.lines : 0, err.message, { cause: err });
    throw err;
  }
  const lineOf = recordLines();
  return rows.map((r) => ({ fields: r.record.map((f) => f.trim()), line: lineOf(r) }));
}

/**
 * The line each record starts on, given the records in order. csv-parse's own count takes a quoted CRLF for two
 * lines; here a line break is CRLF, LF or CR, counted in each record's raw text (with the comment and blank lines
 * skipped before it): the record ends on the last line of its raw text, and starts as many lines earlier as it
 * holds line breaks in its fields.
 */
export function recordLines(): (r: ParsedRecord) => number {
  let before = 0;
  return ({ record, raw }) => {
    const breaks = lineBreaks(raw);
    const end = before + breaks + (/[\r\n]$/.test(raw) ? 0 : 1);
    before += breaks;
    return end - record.reduce((n, f) => n + lineBreaks(f), 0);
  };
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}
