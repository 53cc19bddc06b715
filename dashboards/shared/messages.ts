// Zod schemas of everything the dashboards receive from the engine (REST bodies and socket.io events).
import { z } from 'zod';

/** A timestamp the browser can parse; the engine may send `Z` or an explicit offset. */
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a parseable timestamp');

// ---- areas --------------------------------------------------------------------------------------

const position = z.array(z.number()).min(2);
const ring = z.array(position);

export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring) });
export const multiPolygonSchema = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring)) });
export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);
export type AreaGeometry = z.infer<typeof areaGeometrySchema>;

export const areaPropertiesSchema = z.object({
  code: z.string().min(1),
  name: z.string(),
  nameEn: z.string().nullish(),
  kind: z.string().nullish(),
  population: z.number().nullish(),
  areaKm2: z.number().nullish(),
  approximate: z.boolean().nullish(),
});
export type AreaProperties = z.infer<typeof areaPropertiesSchema>;

export const areaFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: areaGeometrySchema,
  properties: areaPropertiesSchema,
});
export type AreaFeature = z.infer<typeof areaFeatureSchema>;

export const areasSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(areaFeatureSchema),
});
export type Areas = z.infer<typeof areasSchema>;

// ---- indicators ---------------------------------------------------------------------------------

export const indicatorSchema = z.object({
  name: z.string().min(1),
  title: z.object({ vi: z.string(), en: z.string() }),
  unit: z.string(),
  /** Window length such as "1m", "10m", "1h". */
  window: z.string(),
  keys: z.array(z.string()).default([]),
  theme: z.string(),
  target: z.number().nullable().default(null),
  /** "up": higher is better; "down": lower is better. */
  // neutral: neither way is better (e.g. traffic flow); shaded like 'down', higher values hotter.
  direction: z.enum(['up', 'down', 'neutral']),
  thresholds: z
    .object({ warn: z.number().nullable().default(null), alert: z.number().nullable().default(null) })
    .default({ warn: null, alert: null }),
  /** A named colour scale for the value, e.g. "vn_aqi" (the six bands of Decision 1459). */
  scale: z.string().nullish(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const catalogueSchema = z.object({ indicators: z.array(indicatorSchema) });
export type Catalogue = z.infer<typeof catalogueSchema>;

/** One window of one indicator in one area; `area === "hanoi"` is the city-wide value. */
export const indicatorRowSchema = z.object({
  t: isoTime,
  area: z.string(),
  value: z.number().nullable(),
  n: z.number().optional(),
  /** The trust line: the window is past the family's watermark, how many sources reported and how many were expected. */
  final: z.boolean().optional(),
  late: z.number().optional(),
  sources: z.number().nullish(),
  expected: z.number().optional(),
  completeness: z.number().nullish(),
});
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;

export const seriesSchema = z.object({
  name: z.string(),
  unit: z.string().optional(),
  /** Event time up to which windows are final (the newest event less the allowed lateness). */
  watermark: z.string().nullish(),
  rows: z.array(indicatorRowSchema),
});
export type Series = z.infer<typeof seriesSchema>;

/** The area code the engine uses for city-wide rows. */
export const CITY_AREA = 'hanoi';

// ---- devices ------------------------------------------------------------------------------------

export const deviceStatusSchema = z.enum(['ok', 'warn', 'alert', 'silent']);
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const deviceSchema = z.object({
  id: z.string().min(1),
  family: z.enum(['camera', 'sensor']),
  kind: z.string(),
  lat: z.number(),
  lon: z.number(),
  area: z.string().nullable(),
  lastTs: isoTime,
  value: z.number().nullable(),
  unit: z.string().nullable(),
  status: deviceStatusSchema,
});
export type Device = z.infer<typeof deviceSchema>;

export const devicesSchema = z.object({ devices: z.array(deviceSchema) });
export type Devices = z.infer<typeof devicesSchema>;

// ---- health -------------------------------------------------------------------------------------

export const healthSchema = z.looseObject({ status: z.string() });
export type Health = z.infer<typeof healthSchema>;

// ---- socket.io ----------------------------------------------------------------------------------

/** Sent by the page after every (re)connect; no `indicators` means all of them. */
export const subscribeSchema = z.object({ indicators: z.array(z.string()).optional(), devices: z.enum(['json', 'arrow']).optional() });
export type Subscribe = z.infer<typeof subscribeSchema>;

/** `indicator` event: only the windows that changed since the last tick. */
export const indicatorEventSchema = z.object({ name: z.string(), rows: z.array(indicatorRowSchema) });
export type IndicatorEvent = z.infer<typeof indicatorEventSchema>;

/** `devices` event: only the devices that changed since the last tick. */
export const devicesEventSchema = devicesSchema;
export type DevicesEvent = z.infer<typeof devicesEventSchema>;

// ---- alerts -------------------------------------------------------------------------------------

export const alertSchema = z.looseObject({
  id: z.string(),
  rule: z.string(),
  kind: z.string(),
  severity: z.string(),
  area: z.string(),
  subject: z.string(),
  title: z.object({ vi: z.string(), en: z.string() }),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  message: z.string().nullish(),
  openedAt: isoTime,
  acknowledgedBy: z.string().nullish(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsSchema = z.object({ alerts: z.array(alertSchema) });

/** `alert` event: one alert opened, acknowledged or resolved. */
export const alertEventSchema = z.looseObject({ type: z.enum(['opened', 'acknowledged', 'resolved']), alert: alertSchema });
export type AlertEvent = z.infer<typeof alertEventSchema>;
