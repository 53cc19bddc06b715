// The registry's CSV file: a header naming its columns, then one device per record. A record that breaks a rule is
// refused with its line and the reason; the others are kept. A file whose header cannot be read is refused whole.
import { CsvSyntaxError, csvRecords } from '../csv-records.ts';
import { EngineError } from '../errors.ts';
import { describeIssues } from '../serve/validate.ts';
import { DeviceEntry, DeviceId, entryProblem } from './entry.ts';

/** The columns, as the file names them, and the entry field each fills. */
export const CSV_COLUMNS = {
  id: 'id',
  family: 'family',
  agency: 'agency',
  agency_name: 'agencyName',
  model: 'model',
  installed_on: 'installedOn',
  maintenance: 'maintenance',
  area: 'area',
} as const;
type Column = keyof typeof CSV_COLUMNS;
const REQUIRED: readonly Column[] = ['id', 'family', 'agency'];
const COLUMN_OF = Object.fromEntries(Object.entries(CSV_COLUMNS).map(([c, f]) => [f, c])) as Record<string, Column>;

/** Beyond this many records a file is refused: the import is one command every replica applies. */
export const MAX_IMPORT_ROWS = 10_000;

export interface ImportRow extends DeviceEntry {
  id: string;
}

export interface Refusal {
  line: number;
  id: string | null;
  reason: string;
}

export interface ParsedImport {
  rows: ImportRow[];
  refused: Refusal[];
}

export function parseRegistryCsv(text: string, isUnit: (code: string) => boolean): ParsedImport {
  let records;
  try {
    records = csvRecords(text, { comments: false });
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new EngineError('bad_request', `the CSV is not well formed at line ${err.line}: ${err.message}`);
    throw err;
  }
  const [header, ...body] = records;
  if (!header)
    throw new EngineError(
      'bad_request',
      `the CSV is empty: its first line must name the columns, e.g. ${Object.keys(CSV_COLUMNS).join(',')}`,
    );
  const columns = header.fields.map((f) => f.toLowerCase());
  const known = new Set(Object.keys(CSV_COLUMNS));
  const problems: string[] = [];
  columns.forEach((c, i) => {
    if (!known.has(c)) problems.push(`column ${i + 1} ${shown(c.slice(0, 64))} is not one of ${[...known].join(', ')}`);
    else if (columns.indexOf(c) !== i) problems.push(`column "${c}" is named twice`);
  });
  for (const c of REQUIRED) if (!columns.includes(c)) problems.push(`the required column "${c}" is missing`);
  if (problems.length) throw new EngineError('bad_request', `line ${header.line} (the header): ${problems.join('; ')}`);
  if (body.length > MAX_IMPORT_ROWS)
    throw new EngineError(
      'too_large',
      `the CSV has ${body.length} devices; import at most ${MAX_IMPORT_ROWS} per file`,
    );

  const rows: ImportRow[] = [];
  const refused: Refusal[] = [];
  const lineOf = new Map<string, number>();
  const field = (name: string) => COLUMN_OF[name] ?? name;
  for (const { fields, line } of body) {
    const idAt = columns.indexOf('id');
    const rawId = fields[idAt] ?? '';
    const refuse = (reason: string) => refused.push({ line, id: rawId === '' ? null : rawId.slice(0, 128), reason });
    if (fields.length !== columns.length) {
      refuse(`has ${fields.length} fields where the header names ${columns.length}`);
      continue;
    }
    const id = DeviceId.safeParse(rawId);
    if (!id.success) {
      refuse(rawId === '' ? 'field "id": is required' : describeIssues(id.error.issues, 'field "id"'));
      continue;
    }
    const missing = REQUIRED.filter((c) => fields[columns.indexOf(c)] === '');
    if (missing.length) {
      refuse(missing.map((c) => `field "${c}": is required`).join('; '));
      continue;
    }
    const input: Record<string, string> = {};
    columns.forEach((c, i) => {
      // An empty cell is a value not given: the optional fields take their defaults.
      if (c !== 'id' && fields[i] !== '') input[CSV_COLUMNS[c as Column]] = fields[i]!;
    });
    const entry = DeviceEntry.safeParse(input);
    if (!entry.success) {
      refuse(
        entry.error.issues
          .map((i) => `field "${i.path.length ? field(String(i.path[0])) : 'row'}": ${i.message}`)
          .join('; '),
      );
      continue;
    }
    const problem = entryProblem(id.data, entry.data, isUnit, field);
    if (problem) {
      refuse(problem);
      continue;
    }
    const earlier = lineOf.get(id.data);
    if (earlier !== undefined) {
      refuse(`device "${id.data}" is already on line ${earlier}: each device once per file`);
      continue;
    }
    lineOf.set(id.data, line);
    rows.push({ id: id.data, ...entry.data });
  }
  return { rows, refused };
}

/** A name from the file, quoted with its control characters escaped: the message may reach a terminal. */
function shown(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
