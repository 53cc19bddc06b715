// The live state of each camera and sensor: its last position, headline value and status, read from the raw events,
// with its owner agency and service state from the registry (none: unregistered).
import type { Connection, Params } from '../db.ts';
import { HOUR_MS, timestampParam } from '../sql/index.ts';
import { REGISTRY_TABLE } from '../registry/store.ts';
import type { Maintenance } from '../registry/entry.ts';

import type { Device, DeviceStatus } from '../../dashboards/shared/wire/index.ts';

export type { Device, DeviceStatus };

/** A device that has not reported for this long is shown as silent. */
const SILENT_AFTER_MS = 10 * 60_000;

// Headline value per kind, and the level at which it is a warning or an alert (direction: 1 = higher is worse).
const HEADLINE: Record<string, { unit: string; warn: number; alert: number; dir: 1 | -1 }> = {
  camera: { unit: 'km/h', warn: 20, alert: 15, dir: -1 },
  air: { unit: 'µg/m³', warn: 50, alert: 80, dir: 1 },
  water: { unit: 'cm', warn: 30, alert: 50, dir: 1 },
  noise: { unit: 'dB(A)', warn: 70, alert: 80, dir: 1 },
  weather: { unit: '°C', warn: 37, alert: 40, dir: 1 },
  network: { unit: 'Mbps', warn: 40, alert: 20, dir: -1 },
};

const SENSOR_VALUE = `CASE kind WHEN 'air' THEN pm25 WHEN 'water' THEN water_level_cm WHEN 'noise' THEN laeq_db
  WHEN 'weather' THEN temperature_c WHEN 'network' THEN down_mbps END`;

/** Devices whose last report is within `windowMs`; with `receivedSince`, only those that reported since then. */
export async function readDevices(
  conn: Connection,
  opts: { now: number; windowMs?: number; receivedSince?: number },
): Promise<Device[]> {
  const params: Params = { from: timestampParam(opts.now - (opts.windowMs ?? HOUR_MS)) };
  if (opts.receivedSince !== undefined) params.since = timestampParam(opts.receivedSince);
  const since = opts.receivedSince !== undefined ? 'AND received_at > $since::TIMESTAMPTZ' : '';
  const rows = await conn.objects<{
    id: string;
    family: 'camera' | 'sensor';
    kind: string;
    lat: number;
    lon: number;
    area: string | null;
    last: number;
    value: number | null;
    agency: string | null;
    agency_name: string | null;
    maintenance: Maintenance | null;
  }>(
    `
    SELECT d.*, r.agency, r.agency_name, r.maintenance FROM (
    SELECT camera_id AS id, 'camera' AS family, 'camera' AS kind, arg_max(lat, ts) AS lat, arg_max(lon, ts) AS lon,
           arg_max(area, ts) AS area, epoch_ms(max(ts)) AS last, arg_max(avg_speed_kmh, ts) AS value
    FROM camera_events WHERE ts >= $from::TIMESTAMPTZ ${since} GROUP BY camera_id
    UNION ALL
    SELECT sensor_id, 'sensor', arg_max(kind, ts), arg_max(lat, ts), arg_max(lon, ts),
           arg_max(area, ts), epoch_ms(max(ts)), arg_max(${SENSOR_VALUE}, ts)
    FROM sensor_events WHERE ts >= $from::TIMESTAMPTZ ${since} GROUP BY sensor_id
    ) d LEFT JOIN ${REGISTRY_TABLE} r ON r.id = d.id AND r.family = d.family`,
    params,
  );
  return rows.map((r) => {
    const h = HEADLINE[r.kind];
    return {
      id: r.id,
      family: r.family,
      kind: r.kind,
      lat: r.lat,
      lon: r.lon,
      area: r.area,
      lastTs: new Date(r.last).toISOString(),
      value: r.value,
      unit: h?.unit ?? null,
      status: statusOf(r.value, r.last, opts.now, h),
      registered: r.maintenance !== null,
      agency: r.agency,
      agencyName: r.agency_name,
      maintenance: r.maintenance,
    };
  });
}

function statusOf(
  value: number | null,
  last: number,
  now: number,
  h: (typeof HEADLINE)[string] | undefined,
): DeviceStatus {
  if (now - last > SILENT_AFTER_MS) return 'silent';
  if (value === null || !h) return 'ok';
  const worse = (a: number, b: number) => (h.dir === 1 ? a >= b : a <= b);
  return worse(value, h.alert) ? 'alert' : worse(value, h.warn) ? 'warn' : 'ok';
}
