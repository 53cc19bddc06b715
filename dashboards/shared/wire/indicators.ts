// Indicators: GET /api/indicators (the catalogue), GET /api/indicators/:name (a series) and the live `indicator` event.
import { z } from 'zod';
import { bilingualSchema, isoTime } from './fields.ts';

const indicatorSchema = z.object({
  name: z.string().min(1),
  title: bilingualSchema,
  unit: z.string(),
  /** Window length such as "1m", "10m", "1h". */
  window: z.string(),
  keys: z.array(z.string()).default([]),
  theme: z.string(),
  /** The event family the view reads (camera, sensor, service, security, feedback). */
  source: z.string(),
  target: z.number().nullable().default(null),
  /** "up": higher is better; "down": lower is better. */
  // neutral: neither way is better (e.g. traffic flow); shaded like 'down', higher values hotter.
  direction: z.enum(['up', 'down', 'neutral']),
  /** How windows combine into longer ones: sum, mean, max or min. */
  merge: z.string(),
  /** Which registered sources the view expects to hear from (camera, sensor/<kind>, service). */
  devices: z.string().nullable(),
  thresholds: z
    .object({ warn: z.number().nullable().default(null), alert: z.number().nullable().default(null) })
    .default({ warn: null, alert: null }),
  /** A named colour scale for the value, e.g. "vn_aqi" (the six bands of Decision 1459). */
  scale: z.string().nullish(),
  description: z.object({ vi: z.string().optional(), en: z.string().optional() }).nullable(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const catalogueSchema = z.object({
  indicators: z.array(indicatorSchema),
  /**
   * Days of rollups kept (RETAIN_ROLLUP_DAYS): how far back a wall can replay a day. Absent from an engine older than
   * the field, which a wall may still meet during a rolling upgrade; its day picker is then bounded by today only.
   */
  rollupRetentionDays: z.number().int().positive().optional(),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

/** One window of one indicator in one area; `area === "hanoi"` is the city-wide value. */
const indicatorRowSchema = z.object({
  t: isoTime,
  area: z.string(),
  value: z.number().nullable(),
  /** Events in the window, and how many of them arrived after it closed plus the allowed lateness. */
  n: z.number(),
  late: z.number(),
  /** The trust line: distinct sources that reported, and whether the window is past the family's watermark. */
  sources: z.number().nullable(),
  final: z.boolean(),
  /** Sources of the view's kind known in the area (seen in the last week), and the share of them that reported. */
  expected: z.number().optional(),
  completeness: z.number().nullable().optional(),
  /** When the window last changed on the engine that answers: a wall resynchronising after a failover asks from there. */
  updatedAt: isoTime.optional(),
  /**
   * Live changes only: the window no longer has a row (a late event moved what it counted to another window, as an
   * incident's first report arriving after its resolution moves it to the day it was reported). Drop the window.
   */
  removed: z.literal(true).optional(),
});
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;

/** `indicator` event: only the windows of one indicator that changed since the last tick. */
export const indicatorChangeSchema = z.object({ name: z.string(), rows: z.array(indicatorRowSchema) });
export type IndicatorChange = z.infer<typeof indicatorChangeSchema>;

export const seriesSchema = z.object({
  name: z.string(),
  unit: z.string(),
  /** The view's window, and the one the rows were re-bucketed to (the same when not asked). */
  window: z.string(),
  bucket: z.string(),
  /** Event time up to which windows are final (the newest event less the allowed lateness). */
  watermark: z.string().nullable(),
  rows: z.array(indicatorRowSchema),
});
export type Series = z.infer<typeof seriesSchema>;
