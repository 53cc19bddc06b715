// IoT sensor events; the metrics an event may carry depend on its kind, with fixed units.
import { z } from 'zod';
import { base, Id, Lat, Lon } from './common.ts';

const m = (min: number, max: number) => z.number().min(min).max(max).optional();

/** Metric name → [min, max] plausible range, per kind. Units: µg/m³, cm, mm, dB(A), °C, %, m/s, Mbps, ms. */
export const METRICS = {
  air: { pm25: m(0, 2000), pm10: m(0, 5000), no2: m(0, 10_000), o3: m(0, 5000), so2: m(0, 10_000), co: m(0, 500_000) },
  water: { waterLevelCm: m(-1000, 10_000), rainfallMm: m(0, 2000) },
  noise: { laeqDb: m(0, 200) },
  weather: { temperatureC: m(-50, 70), humidityPct: m(0, 100), rainfallMm: m(0, 2000), windMs: m(0, 150) },
  network: {
    downMbps: m(0, 100_000),
    upMbps: m(0, 100_000),
    latencyMs: m(0, 600_000),
    operator: z.string().min(1).max(64).optional(),
  },
} as const;

type SensorKind = keyof typeof METRICS;

const common = { ...base, sensorId: Id, lat: Lat, lon: Lon };

function kindSchema<K extends SensorKind>(kind: K) {
  const metrics = z
    .looseObject(METRICS[kind])
    .refine((o) => Object.keys(METRICS[kind]).some((k) => (o as Record<string, unknown>)[k] !== undefined), {
      message: `needs at least one of ${Object.keys(METRICS[kind]).join(', ')} for kind "${kind}"`,
    });
  return z.looseObject({ ...common, kind: z.literal(kind), metrics });
}

export const SensorEvent = z.discriminatedUnion('kind', [
  kindSchema('air'),
  kindSchema('water'),
  kindSchema('noise'),
  kindSchema('weather'),
  kindSchema('network'),
]);
export type SensorEvent = z.infer<typeof SensorEvent>;

/** The wire fields, as one shape (the schema itself is a union by kind): what the README's wire table lists. */
export const sensorShape = {
  ...common,
  kind: z.enum(Object.keys(METRICS) as [SensorKind, ...SensorKind[]]),
  metrics: z.looseObject({}),
};

export const sensorKnownKeys: ReadonlySet<string> = new Set(Object.keys(sensorShape));
