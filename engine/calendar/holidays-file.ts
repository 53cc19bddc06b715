// The holidays file (views/_calendar/holidays.csv): `#` comment lines, a header, one validated row per day.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CsvSyntaxError, csvRecords, type CsvRecord } from '../csv-records.ts';

export const DEFAULT_HOLIDAYS_FILE = fileURLToPath(new URL('../../views/_calendar/holidays.csv', import.meta.url));

export const holidaySchema = z.strictObject({
  date: z.iso.date(),
  name_vi: z.string().min(1),
  name_en: z.string().min(1),
  /** off: no work on that day; work: a Saturday or Sunday worked in exchange for a swapped day off. */
  kind: z.enum(['off', 'work']),
  /** law: fixed by the Labour Code; decided: by that year's government decision; statutory: not decided yet. */
  basis: z.enum(['law', 'decided', 'statutory']),
});
export type Holiday = z.infer<typeof holidaySchema>;

const COLUMNS = Object.keys(holidaySchema.shape) as (keyof Holiday)[];

/** A holidays file that cannot be read or has a bad line; names the file and the line. */
export class HolidaysFileError extends Error {
  override readonly name = 'HolidaysFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`, options);
  }
}

export function readHolidaysFile(path: string = DEFAULT_HOLIDAYS_FILE): Holiday[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HolidaysFileError(path, 0, 'cannot be read', { cause });
  }
  return parseHolidays(text, path);
}

/** Parses the CSV text; every row is checked, dates are unique and a `work` day falls on a weekend. */
export function parseHolidays(text: string, file = 'holidays.csv'): Holiday[] {
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new HolidaysFileError(file, err.line, err.message, { cause: err });
    throw err;
  }
  let header: string[] | null = null;
  const seen = new Map<string, number>();
  const out: Holiday[] = [];
  for (const { fields, line: at } of records) {
    if (header === null) {
      header = fields;
      const missing = COLUMNS.filter((c) => !fields.includes(c));
      const unknown = fields.filter((f) => !(COLUMNS as string[]).includes(f));
      if (missing.length || unknown.length) {
        throw new HolidaysFileError(
          file,
          at,
          `header must name the columns ${COLUMNS.join(', ')}` +
            (missing.length ? `; missing ${missing.join(', ')}` : '') +
            (unknown.length ? `; unknown ${unknown.join(', ')}` : ''),
        );
      }
      continue;
    }
    if (fields.length !== header.length)
      throw new HolidaysFileError(file, at, `expected ${header.length} fields, found ${fields.length}`);
    const parsed = holidaySchema.safeParse(Object.fromEntries(header.map((h, k) => [h, fields[k]])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HolidaysFileError(file, at, `${issue.path.join('.') || 'row'}: ${issue.message}`);
    }
    const row = parsed.data;
    const before = seen.get(row.date);
    if (before !== undefined) throw new HolidaysFileError(file, at, `${row.date} is already listed on line ${before}`);
    seen.set(row.date, at);
    const dow = new Date(`${row.date}T00:00:00Z`).getUTCDay();
    if (row.kind === 'work' && dow !== 0 && dow !== 6) {
      throw new HolidaysFileError(
        file,
        at,
        `${row.date} is a weekday: only a Saturday or Sunday can be a make-up working day`,
      );
    }
    out.push(row);
  }
  if (header === null) throw new HolidaysFileError(file, 0, 'has no header line');
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
