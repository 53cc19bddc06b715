// The live state of each camera and sensor: its last position, headline value and status, read from the raw events,
// with its owner agency and service state from the registry (none: unregistered).
import type { Connection, Params } from '../db.ts';
import { HOUR_MS, timestampParam } from '../sql/index.ts';
import { REGISTRY_TABLE } from '../registry/store.ts';
import type { Maintenance } from '../registry/entry.ts';
import { FAMILIES, FAMILY_DEFS, type DeviceLayer, type FamilyDef } from '../schema/index.ts';

import type { Device, DeviceStatus } from '../../dashboards/shared/wire/index.ts';

export type { Device, DeviceStatus };

/** A device that has not reported for this long is shown as silent. */
export const SILENT_AFTER_MS = 10 * 60_000;

/** The families shown on the device layer, with their headline per kind. */
const LAYERS = FAMILIES.flatMap((f) => {
  const def: FamilyDef<unknown> = FAMILY_DEFS[f];
  return def.layer ? [{ family: f, table: def.table, id: def.source.id, layer: def.layer }] : [];
});
const HEADLINE: Record<string, DeviceLayer['headline'][string]> = Object.assign(
  {},
  ...LAYERS.map((l) => l.layer.headline),
) as Record<string, DeviceLayer['headline'][string]>;

/**
 * Devices whose last report is within `windowMs`; with `receivedSince`, only those that reported since then. With
 * `past`, `now` is a replayed instant: events after it are not seen yet, so each device stands as it did then.
 */
export async function readDevices(
  conn: Connection,
  opts: { now: number; windowMs?: number; receivedSince?: number; past?: boolean },
): Promise<Device[]> {
  const params: Params = { from: timestampParam(opts.now - (opts.windowMs ?? HOUR_MS)) };
  if (opts.receivedSince !== undefined) params.since = timestampParam(opts.receivedSince);
  let since = opts.receivedSince !== undefined ? 'AND received_at > $since::TIMESTAMPTZ' : '';
  if (opts.past) {
    // Both bounds on `ts`, so the zone maps skip the row groups outside that hour.
    since += ' AND ts <= $until::TIMESTAMPTZ';
    params.until = timestampParam(opts.now);
  }
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
    SELECT d.*, r.agency, r.agency_name, r.maintenance FROM (${LAYERS.map(
      (l) => `
    SELECT ${l.id} AS id, '${l.family}' AS family, arg_max(${l.layer.kind}, ts) AS kind, arg_max(lat, ts) AS lat,
           arg_max(lon, ts) AS lon, arg_max(area, ts) AS area, epoch_ms(max(ts)) AS last, arg_max(${l.layer.value}, ts) AS value
    FROM ${l.table} WHERE ts >= $from::TIMESTAMPTZ ${since} GROUP BY ${l.id}`,
    ).join('\n    UNION ALL')}
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
