// The `-- key: value` comment header of a definition file (a .sql view, a .rule alert rule): read into a record,
// validated by a zod schema, every problem reported as file:line: key: reason.
import type { z } from 'zod';

export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'DefinitionError';
  }
}

export interface Header {
  /** Dotted keys nest: `title.vi` and `title.en` make `{ title: { vi, en } }`. */
  values: Record<string, unknown>;
  /** The 1-based line of each top-level key (its last line for a nested one). */
  lineOf: Record<string, number>;
  /** The 0-based index of the first line after the header: the body. */
  body: number;
}

export interface HeaderOptions {
  /** `header`: the header ends at the first line that is neither blank nor a comment; `file`: every line is read. */
  extent: 'header' | 'file';
  /** How an issue with no key reads, and whose line it points at (e.g. `kind` for a union on it). */
  whole: string;
  /** The error to throw: a subclass names the kind of file. */
  error: new (file: string, line: number, reason: string) => DefinitionError;
}

const ENTRY = /^--\s*([a-zA-Z][\w.]*)\s*:\s*(.*)$/;

export function readHeader(text: string, extent: HeaderOptions['extent']): Header {
  const lines = text.split('\n');
  const header: Header = { values: {}, lineOf: {}, body: lines.length };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (extent === 'header' && line !== '' && !line.startsWith('--')) {
      header.body = i;
      break;
    }
    const m = ENTRY.exec(line);
    if (!m) continue; // blank, or a plain comment
    const path = m[1]!.split('.');
    let cur = header.values;
    for (let k = 0; k < path.length - 1; k++) cur = (cur[path[k]!] ??= {}) as Record<string, unknown>;
    cur[path[path.length - 1]!] = m[2]!.trim();
    header.lineOf[path[0]!] = i + 1;
  }
  return header;
}

/** Reads the header and validates it; the first problem is thrown as `options.error`, naming its line and key. */
export function parseHeader<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  options: HeaderOptions,
): Header & { meta: z.infer<S> } {
  const header = readHeader(text, options.extent);
  const parsed = schema.safeParse(header.values);
  if (parsed.success) return { ...header, meta: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new options.error(file, header.lineOf[issue.keys[0]!] ?? 1, `unknown key ${issue.keys.join(', ')}`);
  }
  const key = issue.path.length ? String(issue.path[0]) : options.whole;
  throw new options.error(file, header.lineOf[key] ?? 1, `${issue.path.join('.') || options.whole}: ${issue.message}`);
}
