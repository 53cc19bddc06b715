// A view file: a `-- key: value` metadata header (validated by zod) followed by one SELECT over an event-time range.
import { z } from 'zod';
import { FAMILIES } from '../schema/index.ts';

export const WINDOWS = { '1m': 60_000, '5m': 300_000, '10m': 600_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

const num = z.coerce.number().refine(Number.isFinite, { message: 'must be a number' });

export const ViewMeta = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be snake_case, 2–63 characters, starting with a letter'),
  title: z.strictObject({ vi: z.string().min(1), en: z.string().min(1) }),
  unit: z.string().min(1),
  window: z.enum(Object.keys(WINDOWS) as [WindowName, ...WindowName[]]),
  source: z.enum(FAMILIES),
  keys: z.string().default('area').transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean)),
  theme: z.string().min(1),
  direction: z.enum(['up', 'down', 'neutral']).default('neutral'),
  target: num.optional(),
  thresholds: z.strictObject({ warn: num.optional(), alert: num.optional() }).optional(),
  description: z.strictObject({ vi: z.string().optional(), en: z.string().optional() }).optional(),
});
export type ViewMeta = z.infer<typeof ViewMeta>;

export interface ViewDef extends ViewMeta {
  file: string;
  sql: string;
  windowMs: number;
}

export class ViewError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ViewError';
  }
}

/** Parses one view file; errors name the file, the line and the reason. */
export function parseView(file: string, text: string): ViewDef {
  const lines = text.split('\n');
  const meta: Record<string, unknown> = {};
  const lineOf: Record<string, number> = {};
  let body = 0;
  for (; body < lines.length; body++) {
    const line = lines[body]!.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const m = /^--\s*([a-zA-Z][\w.]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue; // a plain comment
    const [, key, value] = m as unknown as [string, string, string];
    setPath(meta, key.split('.'), value.trim());
    lineOf[key.split('.')[0]!] = body + 1;
  }
  const sql = lines.slice(body).join('\n').trim().replace(/;\s*$/, '');
  if (!sql) throw new ViewError(file, lines.length, 'no SELECT after the metadata header');
  if (!/\$from\b/.test(sql) || !/\$to\b/.test(sql)) {
    throw new ViewError(file, body + 1, 'the query must bound event time with $from and $to (ts >= $from AND ts < $to), so a refresh reads only its dirty windows');
  }
  const parsed = ViewMeta.safeParse(meta);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const where = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => lineOf[k] ?? 1)[0]! : lineOf[key] ?? 1;
    const field = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'header'}: ${issue.message}`;
    throw new ViewError(file, where, field);
  }
  return { ...parsed.data, file, sql, windowMs: WINDOWS[parsed.data.window] };
}

function setPath(obj: Record<string, unknown>, path: string[], value: string): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) cur = (cur[path[i]!] ??= {}) as Record<string, unknown>;
  cur[path[path.length - 1]!] = value;
}
