// The stored tables: one column list per family, the single source of the DDL, the staging layout and the row extractors.
import type { CameraEvent } from './camera.ts';
import type { SensorEvent } from './sensor.ts';
import type { ServiceEvent } from './service.ts';

export type SqlType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN' | 'TIMESTAMPTZ' | 'JSON';
export type Cell = string | number | boolean | null;

/** What the decoder hands to the batcher: the validated event plus what the engine derived. */
export interface Decoded<E> {
  event: E;
  area: string | null;
  extra: string | null;
  receivedAt: number;
}

export interface Column<E> {
  name: string;
  type: SqlType;
  get(row: Decoded<E>): Cell;
}

const v = <T>(x: T | undefined): T | null => (x === undefined ? null : x);

export const commonColumns = <E extends { id: string; ts: number }>(): Column<E>[] => [
  { name: 'id', type: 'VARCHAR', get: (r) => r.event.id },
  { name: 'ts', type: 'TIMESTAMPTZ', get: (r) => r.event.ts },
];
export const tailColumns = <E>(): Column<E>[] => [
  { name: 'area', type: 'VARCHAR', get: (r) => r.area },
  { name: 'extra', type: 'JSON', get: (r) => r.extra },
  { name: 'received_at', type: 'TIMESTAMPTZ', get: (r) => r.receivedAt },
];

export const cameraColumns: readonly Column<CameraEvent>[] = [
  ...commonColumns<CameraEvent>(),
  { name: 'camera_id', type: 'VARCHAR', get: (r) => r.event.cameraId },
  { name: 'lat', type: 'DOUBLE', get: (r) => r.event.lat },
  { name: 'lon', type: 'DOUBLE', get: (r) => r.event.lon },
  { name: 'car', type: 'INTEGER', get: (r) => r.event.counts.car },
  { name: 'motorbike', type: 'INTEGER', get: (r) => r.event.counts.motorbike },
  { name: 'bus', type: 'INTEGER', get: (r) => r.event.counts.bus },
  { name: 'truck', type: 'INTEGER', get: (r) => r.event.counts.truck },
  { name: 'bicycle', type: 'INTEGER', get: (r) => r.event.counts.bicycle },
  { name: 'pedestrian', type: 'INTEGER', get: (r) => r.event.counts.pedestrian },
  { name: 'interval_s', type: 'INTEGER', get: (r) => r.event.intervalS },
  { name: 'avg_speed_kmh', type: 'DOUBLE', get: (r) => v(r.event.avgSpeedKmh) },
  { name: 'occupancy', type: 'DOUBLE', get: (r) => v(r.event.occupancy) },
  { name: 'queue_m', type: 'DOUBLE', get: (r) => v(r.event.queueM) },
  { name: 'incident_type', type: 'VARCHAR', get: (r) => v(r.event.incident?.type) },
  { name: 'incident_confidence', type: 'DOUBLE', get: (r) => v(r.event.incident?.confidence) },
  ...tailColumns<CameraEvent>(),
];

type AnyMetrics = Record<string, number | string | undefined>;
const metric = (name: string, key: string): Column<SensorEvent> => ({
  name,
  type: 'DOUBLE',
  get: (r) => v((r.event.metrics as AnyMetrics)[key] as number | undefined),
});

export const sensorColumns: readonly Column<SensorEvent>[] = [
  ...commonColumns<SensorEvent>(),
  { name: 'sensor_id', type: 'VARCHAR', get: (r) => r.event.sensorId },
  { name: 'kind', type: 'VARCHAR', get: (r) => r.event.kind },
  { name: 'lat', type: 'DOUBLE', get: (r) => r.event.lat },
  { name: 'lon', type: 'DOUBLE', get: (r) => r.event.lon },
  metric('pm25', 'pm25'),
  metric('pm10', 'pm10'),
  metric('no2', 'no2'),
  metric('o3', 'o3'),
  metric('so2', 'so2'),
  metric('co', 'co'),
  metric('water_level_cm', 'waterLevelCm'),
  metric('rainfall_mm', 'rainfallMm'),
  metric('laeq_db', 'laeqDb'),
  metric('temperature_c', 'temperatureC'),
  metric('humidity_pct', 'humidityPct'),
  metric('wind_ms', 'windMs'),
  metric('down_mbps', 'downMbps'),
  metric('up_mbps', 'upMbps'),
  metric('latency_ms', 'latencyMs'),
  { name: 'operator', type: 'VARCHAR', get: (r) => v((r.event.metrics as AnyMetrics).operator as string | undefined) },
  ...tailColumns<SensorEvent>(),
];

export const serviceColumns: readonly Column<ServiceEvent>[] = [
  ...commonColumns<ServiceEvent>(),
  { name: 'dossier_id', type: 'VARCHAR', get: (r) => r.event.dossierId },
  { name: 'procedure', type: 'VARCHAR', get: (r) => r.event.procedure },
  { name: 'agency', type: 'VARCHAR', get: (r) => r.event.agency },
  { name: 'status', type: 'VARCHAR', get: (r) => r.event.status },
  { name: 'channel', type: 'VARCHAR', get: (r) => r.event.channel },
  { name: 'level', type: 'VARCHAR', get: (r) => v(r.event.level) },
  { name: 'due_at', type: 'TIMESTAMPTZ', get: (r) => v(r.event.dueAt) },
  { name: 'online_payment', type: 'BOOLEAN', get: (r) => v(r.event.onlinePayment) },
  { name: 'lat', type: 'DOUBLE', get: (r) => v(r.event.lat) },
  { name: 'lon', type: 'DOUBLE', get: (r) => v(r.event.lon) },
  ...tailColumns<ServiceEvent>(),
];
