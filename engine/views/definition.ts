// A view file: a `-- key: value` metadata header (validated by zod) followed by one SELECT over an event-time range,
// or, for a rolling view, no SELECT at all: it is merged from the rollups of its base view.
import { z } from 'zod';
import { FAMILIES, FAMILY_LIST } from '../schema/index.ts';
import { PlainText } from '../schema/common.ts';
import { MERGES } from '../sql/index.ts';
import {
  DefinitionError,
  finiteNumber as num,
  parseHeader,
  positiveDuration as duration,
} from '../definitions/index.ts';

export { parseDuration } from '../definitions/index.ts';

const DAY_MS = 86_400_000;

/** Tumbling windows tile the Hanoi day, so they must divide it evenly. */
const windowDuration = duration.refine((ms) => ms >= 1000 && DAY_MS % ms === 0, {
  message: 'must divide one day evenly (1m, 5m, 15m, 1h, 1d …)',
});

export const ViewMeta = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be snake_case, 2–63 characters, starting with a letter'),
  // Views are also made over the API now: what the wall and the briefing print is plain text of a sensible length.
  title: z.strictObject({ vi: PlainText.min(1).max(200), en: PlainText.min(1).max(200) }),
  unit: PlainText.min(1).max(32),
  /** The tumbling window (for a rolling view: how often it advances, the base view's window). */
  window: windowDuration,
  /** Family whose events the SELECT reads; a rolling view takes its base's. */
  source: z.enum(FAMILIES).optional(),
  /** A view merged from this view's rollups: over `range`, advancing every `window` (rolling), or without `range`, its finer windows into `window`. */
  base: z.string().optional(),
  range: duration.optional(),
  /** Keep partial rollups at this finer window and merge them into the view's window, so a long window's tick stays cheap. */
  partial: windowDuration.optional(),
  /** How windows combine into longer ones: sum, mean (weighted by `weight`, else `n`), max, min. */
  merge: z.enum(MERGES).default('mean'),
  /** Which registered sources the view expects to hear from: camera, sensor/<kind> or service; gives each row its completeness. */
  devices: z
    .string()
    .regex(/^(camera|sensor\/[a-z]+|service)$/, 'must be camera, sensor/<kind> (e.g. sensor/air) or service')
    .optional(),
  /** A named colour scale for the value (vn_aqi: the six VN_AQI bands, categories and colours of Decision 1459). */
  scale: z.enum(['vn_aqi']).optional(),
  /** How far before $from the SELECT reads (e.g. 11h for a 12-hour NowCast): an event then re-opens the windows after it too. */
  lookback: duration.optional(),
  /** A view of the present state (it reads now()): its current window is recomputed every tick, data or not. */
  snapshot: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Among the briefing's headline indicators (its value over the period, its breaches of thresholds.alert). */
  briefing: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** How long after its window closes an event still counts as on time. */
  lateness: duration.default(120_000),
  keys: z
    .string()
    .default('area')
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  theme: PlainText.min(1).max(64),
  direction: z.enum(['up', 'down', 'neutral']).default('neutral'),
  target: num.optional(),
  thresholds: z.strictObject({ warn: num.optional(), alert: num.optional() }).optional(),
  description: z.strictObject({ vi: PlainText.max(2000).optional(), en: PlainText.max(2000).optional() }).optional(),
});
export type ViewMeta = z.infer<typeof ViewMeta>;

export interface ViewDef extends Omit<ViewMeta, 'window' | 'range' | 'lateness' | 'partial' | 'lookback'> {
  file: string;
  /** Empty for a rolling view. */
  sql: string;
  source: (typeof FAMILIES)[number];
  /** The header's window as written ('1m'), and in milliseconds. */
  window: string;
  windowMs: number;
  rangeMs: number | null;
  latenessMs: number;
  lookbackMs?: number;
  /** An engine-made partial rollup: refreshed like any view, not listed in the catalogue. */
  hidden?: boolean;
  partialMs?: number;
  /** The window `$late` judges against: a partial keeps its view's, so "late" means late for the day, not the quarter hour. */
  lateWindowMs?: number;
}

/** A view with a base and no range merges its base's finer windows into its own (tumbling) windows. */
export const isRolling = (v: ViewDef): boolean => v.base !== undefined && v.rangeMs !== null;

export class ViewError extends DefinitionError {
  constructor(file: string, line: number, reason: string) {
    super(file, line, reason);
    this.name = 'ViewError';
  }
}

/** Parses one view file; errors name the file, the line and the reason. Rolling views get their source when linked. */
export function parseView(file: string, text: string): ViewDef {
  const lines = text.split('\n');
  const header = parseHeader(file, text, ViewMeta, { extent: 'header', whole: 'header', error: ViewError });
  const { meta: v, values: meta, lineOf, body } = header;
  const sql = lines.slice(body).join('\n').trim().replace(/;\s*$/, '');
  const rawWindow = String(meta.window);
  if (v.base !== undefined) {
    if (v.partial !== undefined)
      throw new ViewError(file, lineOf.partial ?? 1, 'partial: belongs to a view with its own SELECT');
    if (sql)
      throw new ViewError(
        file,
        body + 1,
        `a rolling view (base: ${v.base}) has no SELECT: it is merged from its base's rollups`,
      );
    if (v.range !== undefined && (v.range <= v.window || v.range % v.window !== 0))
      throw new ViewError(
        file,
        lineOf.range ?? 1,
        `range must be a multiple of window (${rawWindow}) and longer than it`,
      );
    const { partial: _p, lookback: _l, ...rest } = v;
    return {
      ...rest,
      file,
      sql: '',
      source: 'camera',
      window: rawWindow,
      windowMs: v.window,
      rangeMs: v.range ?? null,
      latenessMs: v.lateness,
    };
  }
  if (v.range !== undefined)
    throw new ViewError(file, lineOf.range ?? 1, 'range: belongs to a rolling view, which also names its base:');
  if (v.partial !== undefined) {
    if (v.partial >= v.window || v.window % v.partial !== 0)
      throw new ViewError(file, lineOf.partial ?? 1, `partial must divide window (${rawWindow}) and be shorter`);
    if (!/\$bucket\b/.test(sql))
      throw new ViewError(
        file,
        body + 1,
        'a view with partial: must bucket time with $bucket, so the same query can run at the finer window',
      );
  }
  if (!v.source) throw new ViewError(file, 1, `source: is required (${FAMILY_LIST})`);
  if (!sql) throw new ViewError(file, lines.length, 'no SELECT after the metadata header');
  if (!/\$from\b/.test(sql) || !/\$to\b/.test(sql)) {
    throw new ViewError(
      file,
      body + 1,
      'the query must bound event time with $from and $to (ts >= $from AND ts < $to), so a refresh reads only its dirty windows',
    );
  }
  const { partial, lookback, ...rest } = v;
  return {
    ...rest,
    file,
    sql,
    source: v.source,
    window: rawWindow,
    windowMs: v.window,
    rangeMs: null,
    latenessMs: v.lateness,
    ...(partial ? { partialMs: partial } : {}),
    ...(lookback ? { lookbackMs: lookback } : {}),
  };
}

/**
 * Checks rolling views against their bases (tumbling views of the same window), splits a view with `partial:` into
 * a hidden partial rollup plus the view merged from it, and orders bases first.
 */
export function linkViews(input: ViewDef[]): ViewDef[] {
  const views: ViewDef[] = [];
  for (const v of input) {
    if (v.partialMs === undefined) {
      views.push(v);
      continue;
    }
    const window = `${v.partialMs / 60_000}m`;
    const { partialMs, ...merged } = v;
    views.push({
      ...merged,
      name: `${v.name}__partial`,
      window,
      windowMs: partialMs,
      lateWindowMs: v.windowMs,
      hidden: true,
    });
    views.push({ ...merged, sql: '', base: `${v.name}__partial` });
  }
  const byName = new Map(views.map((v) => [v.name, v]));
  for (const v of views) {
    if (v.base === undefined) continue;
    const base = byName.get(v.base);
    if (!base) throw new ViewError(v.file, 1, `base view "${v.base}" does not exist`);
    if (base.base !== undefined)
      throw new ViewError(
        v.file,
        1,
        `base view "${v.base}" is itself merged from another; roll from a view with its own SELECT`,
      );
    if (isRolling(v) && base.windowMs !== v.windowMs)
      throw new ViewError(v.file, 1, `window (${v.window}) must equal the base view's window (${base.window})`);
    if (!isRolling(v) && (base.windowMs >= v.windowMs || v.windowMs % base.windowMs !== 0)) {
      throw new ViewError(
        v.file,
        1,
        `window (${v.window}) must be a multiple of the base view's window (${base.window}) and longer: its windows merge the base's`,
      );
    }
    v.source = base.source;
    v.merge = base.merge;
    v.devices ??= base.devices;
  }
  return [...views.filter((v) => v.base === undefined), ...views.filter((v) => v.base !== undefined)];
}
