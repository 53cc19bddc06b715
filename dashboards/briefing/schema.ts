// The briefing's answer from GET /api/briefing, validated before the page trusts it.
import { z } from 'zod';

const text2 = z.object({ vi: z.string(), en: z.string() });
const areaValue = z.object({ area: z.string(), name: z.string(), nameEn: z.string().nullable(), value: z.number() });

export const kpiSchema = z.object({
  name: z.string(),
  title: text2,
  unit: z.string(),
  theme: z.string(),
  direction: z.string(),
  scale: z.string().nullable(),
  target: z.number().nullable(),
  thresholds: z.object({ warn: z.number().nullable(), alert: z.number().nullable() }),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  status: z.enum(['met', 'at_risk', 'missed']).nullable(),
  n: z.number(),
  final: z.boolean(),
  trend: z.object({ bucket: z.string(), from: z.string(), to: z.string(), points: z.array(z.object({ t: z.string(), value: z.number().nullable() })) }),
});
export type Kpi = z.infer<typeof kpiSchema>;

export const briefingSchema = z.object({
  date: z.string(),
  span: z.enum(['day', 'week']),
  from: z.string(),
  to: z.string(),
  lang: z.enum(['vi', 'en']),
  generatedAt: z.string(),
  hasData: z.boolean(),
  kpis: z.array(kpiSchema),
  themes: z.array(z.object({ theme: z.string(), indicator: z.string(), title: text2, unit: z.string(), direction: z.string(), best: z.array(areaValue), worst: z.array(areaValue) })),
  incidents: z.object({
    total: z.number(),
    byType: z.array(z.object({ type: z.string(), count: z.number() })),
    byArea: z.array(z.object({ area: z.string(), name: z.string(), nameEn: z.string().nullable(), count: z.number() })),
    items: z.array(z.object({ type: z.string(), area: z.string().nullable(), name: z.string().nullable(), nameEn: z.string().nullable(), cameraId: z.string(), first: z.string(), last: z.string(), reports: z.number() })),
  }),
  alerts: z.array(z.object({ indicator: z.string(), title: text2, unit: z.string(), area: z.string(), name: z.string(), nameEn: z.string().nullable(), windows: z.number(), window: z.string(), first: z.string(), last: z.string(), peak: z.number() })),
  raised: z.object({
    total: z.number(),
    bySeverity: z.array(z.object({ severity: z.string(), count: z.number() })),
    acknowledged: z.number(),
    items: z.array(z.object({ id: z.string(), severity: z.string(), name: z.string(), nameEn: z.string().nullable(), title: text2, status: z.string(), since: z.string() })),
  }).optional(),
  air: z.object({ indicator: z.string().nullable(), threshold: z.number(), hours: z.array(z.object({ area: z.string(), name: z.string(), nameEn: z.string().nullable(), hours: z.number(), peak: z.number(), peakAt: z.string() })) }),
  narrative: z.array(z.string()),
});
export type Briefing = z.infer<typeof briefingSchema>;
