// GET /api/briefing: the leaders' briefing of a Hanoi day or week, its facts and the narrative written from them.
import { z } from 'zod';
import { bilingualSchema, isoTime } from './fields.ts';

const areaName = { area: z.string(), name: z.string(), nameEn: z.string().nullable() };
const areaValueSchema = z.object({ ...areaName, value: z.number() });

const kpiStatusSchema = z.enum(['met', 'at_risk', 'missed']);

const kpiSchema = z.object({
  name: z.string(),
  title: bilingualSchema,
  unit: z.string(),
  theme: z.string(),
  direction: z.string(),
  scale: z.string().nullable(),
  target: z.number().nullable(),
  thresholds: z.object({ warn: z.number().nullable(), alert: z.number().nullable() }),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  status: kpiStatusSchema.nullable(),
  /** Events behind the value, and whether every window of the period is final (the watermark has passed its end). */
  n: z.number(),
  final: z.boolean(),
  trend: z.object({
    bucket: z.string(),
    from: isoTime,
    to: isoTime,
    points: z.array(z.object({ t: isoTime, value: z.number().nullable() })),
  }),
});
export type Kpi = z.infer<typeof kpiSchema>;

export const briefingSchema = z.object({
  /** YYYY-MM-DD, the first Hanoi day of the period. */
  date: z.string(),
  span: z.enum(['day', 'week']),
  from: isoTime,
  to: isoTime,
  lang: z.enum(['vi', 'en']),
  generatedAt: isoTime,
  /** The engine runs the Hanoi simulator: the page is marked as simulated data. */
  simulated: z.boolean(),
  /** The index scale the air figures use, named for the reader. */
  scale: z.string(),
  hasData: z.boolean(),
  kpis: z.array(kpiSchema),
  themes: z.array(
    z.object({
      theme: z.string(),
      indicator: z.string(),
      title: bilingualSchema,
      unit: z.string(),
      direction: z.string(),
      best: z.array(areaValueSchema),
      worst: z.array(areaValueSchema),
    }),
  ),
  incidents: z.object({
    total: z.number(),
    byType: z.array(z.object({ type: z.string(), count: z.number() })),
    byArea: z.array(z.object({ ...areaName, count: z.number() })),
    items: z.array(
      z.object({
        type: z.string(),
        area: z.string().nullable(),
        name: z.string().nullable(),
        nameEn: z.string().nullable(),
        cameraId: z.string(),
        first: isoTime,
        last: isoTime,
        reports: z.number(),
      }),
    ),
    /**
     * The operators' incidents detected in the period against the centre's targets: detected within 1 h of the first
     * evidence, resolved within 4 h of detection; median times in seconds (null with none to measure).
     */
    response: z.object({
      total: z.number(),
      detectedInHour: z.number(),
      resolved: z.number(),
      resolvedIn4h: z.number(),
      medianDetectS: z.number().nullable(),
      medianResolveS: z.number().nullable(),
    }),
  }),
  alerts: z.array(
    z.object({
      indicator: z.string(),
      title: bilingualSchema,
      unit: z.string(),
      ...areaName,
      windows: z.number(),
      window: z.string(),
      first: isoTime,
      last: isoTime,
      peak: z.number(),
    }),
  ),
  /** Alerts the alerting engine raised for conditions that began in the period (none without alerting). */
  raised: z.object({
    total: z.number(),
    bySeverity: z.array(z.object({ severity: z.string(), count: z.number() })),
    acknowledged: z.number(),
    items: z.array(
      z.object({
        id: z.string(),
        rule: z.string(),
        severity: z.string(),
        ...areaName,
        title: bilingualSchema,
        status: z.string(),
        since: isoTime,
        value: z.number().nullable(),
        threshold: z.number().nullable(),
      }),
    ),
  }),
  /** Hours at VN_AQI 'Kém' (101) or worse per area, from the hourly `aqi` view. */
  air: z.object({
    indicator: z.string().nullable(),
    threshold: z.number(),
    hours: z.array(z.object({ ...areaName, hours: z.number(), peak: z.number(), peakAt: isoTime })),
  }),
  /**
   * Data quality ("đúng, đủ, sạch, sống") per agency, best first: the mean over its device-days of each test and of
   * their score; a registered device in service that sent nothing on a day counts as zero that day.
   */
  dataQuality: z.object({
    agencies: z.array(
      z.object({
        agency: z.string(),
        name: z.string().nullable(),
        devices: z.number(),
        silentDays: z.number(),
        score: z.number(),
        accuracy: z.number().nullable(),
        completeness: z.number(),
        cleanliness: z.number().nullable(),
        liveness: z.number(),
      }),
    ),
    /** Cameras and sensors that reported in the period without being in the device registry. */
    unregistered: z.number(),
  }),
  /**
   * Citizens' reports over the period, city-wide from the feedback indicators: received, the share resolved on time,
   * reopenings per 100 resolutions, the mean rating; the reports still open when the period ended (from each report's
   * last event before it) with the wards holding most; the categories most reported. Null when there were none.
   */
  feedback: z
    .object({
      received: z.number(),
      resolvedOnTime: z.number().nullable(),
      reopenRate: z.number().nullable(),
      rating: z.number().nullable(),
      backlog: z.number().nullable(),
      categories: z.array(z.object({ category: z.string(), received: z.number() })),
      backlogAreas: z.array(z.object({ ...areaName, count: z.number() })),
    })
    .nullable(),
  /** Saved queries promoted to the briefing, each run for the period (see the README's saved queries). */
  sections: z.array(
    z.object({
      name: z.string(),
      title: bilingualSchema,
      description: z.string().nullable(),
      unit: z.string().nullable(),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.array(z.array(z.unknown())),
      truncated: z.boolean(),
      /** Why the query could not run (its rows are then empty). */
      error: z.string().nullable(),
    }),
  ),
  narrative: z.array(z.string()),
});
export type Briefing = z.infer<typeof briefingSchema>;
