// Reads replay files as a stream of wire events with their family: NDJSON (.ndjson, .jsonl, .json) or CSV (.csv).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { recordLines, type ParsedRecord } from '../../engine/csv-records.ts';
import { CSV_OPTIONS, CsvFileError, csvEvent } from './csv.ts';
import { FAMILIES as KNOWN, type Family } from '../../engine/schema/index.ts';

export type ReplayFamily = Family;
export type Item =
  { family: ReplayFamily; event: Record<string, unknown>; line: number } | { skipped: string; line: number };

const FAMILIES: ReadonlySet<string> = new Set(KNOWN);

/** The family an event belongs to: said by the file (a `family` field) or the caller, else known by its fields. */
function familyOf(event: Record<string, unknown>, said?: string): ReplayFamily | undefined {
  if (said !== undefined) return FAMILIES.has(said) ? (said as ReplayFamily) : undefined;
  if ('cameraId' in event) return 'camera';
  if ('sensorId' in event) return 'sensor';
  if ('dossierId' in event) return 'service';
  if ('incidentId' in event) return 'security';
  if ('reportId' in event) return 'feedback';
  return undefined;
}

export async function* readEvents(file: string, family?: ReplayFamily): AsyncGenerator<Item> {
  if (/\.csv$/i.test(file)) yield* readCsv(file, family);
  else yield* readNdjson(file, family);
}

async function* readNdjson(file: string, family?: ReplayFamily): AsyncGenerator<Item> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { skipped: `not valid JSON (${(err as Error).message})`, line };
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) yield classify(v, family, line);
  }
}

async function* readCsv(file: string, family?: ReplayFamily): AsyncGenerator<Item> {
  const records = parse({ ...CSV_OPTIONS, info: true, raw: true });
  const lineOf = recordLines();
  // A file that cannot be read ends the parser with its error, which the loop below then throws.
  pipeline(createReadStream(file, 'utf8'), records, () => undefined);
  let header: string[] | null = null;
  try {
    for await (const r of records as AsyncIterable<ParsedRecord>) {
      const line = lineOf(r);
      if (!header) {
        header = r.record;
        continue;
      }
      yield csvItem(header, r.record, family, line);
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw new CsvFileError(file, typeof err.lines === 'number' ? err.lines : 0, err.message, { cause: err });
    throw err;
  } finally {
    records.destroy();
  }
}

function csvItem(header: string[], row: string[], family: ReplayFamily | undefined, line: number): Item {
  const { event, family: said } = csvEvent(header, row);
  return classify(said === undefined ? event : { ...event, family: said }, family, line);
}

/** The caller's --family wins, then the event's own `family` field (not sent: it is no wire field), then its fields. */
function classify(value: unknown, family: ReplayFamily | undefined, line: number): Item {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { skipped: 'not a JSON object', line };
  const { family: own, ...event } = value as Record<string, unknown>;
  const f =
    family ??
    familyOf(own === undefined ? (value as Record<string, unknown>) : event, typeof own === 'string' ? own : undefined);
  if (!f)
    return {
      skipped:
        'family unknown: give --family, a family field, or cameraId / sensorId / dossierId / incidentId / reportId',
      line,
    };
  return { family: f, event: own === undefined ? (value as Record<string, unknown>) : event, line };
}
