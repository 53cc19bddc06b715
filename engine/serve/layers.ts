// The wall's large layers: device positions, values and states as an Arrow IPC stream, and one device's recent values.
import { Float64, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { z } from 'zod';
import type { Device, DeviceStatus } from '../query/index.ts';
import { timestampParam } from '../sql/index.ts';
import type { ServeContext } from './context.ts';
import { feedbackLayerRoutes } from './feedback-layer.ts';
import { validate } from './validate.ts';
import { devicesAt, DevicesQuery } from './devices-at.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
/** Status as a small integer, the order the wall draws and counts them in. */
export const STATUS_CODES: Record<DeviceStatus, number> = { ok: 0, warn: 1, alert: 2, silent: 3 };

const DevicePath = z.object({ id: z.string().regex(/^[\w.:-]{1,128}$/, 'must be a device id') });
const SeriesQuery = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
});
const SENSOR_VALUE = `CASE kind WHEN 'air' THEN pm25 WHEN 'water' THEN water_level_cm WHEN 'noise' THEN laeq_db
  WHEN 'weather' THEN temperature_c WHEN 'network' THEN down_mbps END`;

/** Devices as one Arrow IPC stream: the layer's snapshot, and each tick's changed devices for walls that ask for Arrow. */
export function devicesToArrow(devices: readonly Device[]): Uint8Array {
  const n = devices.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const lastTs = new Float64Array(n);
  const status = new Uint8Array(n);
  devices.forEach((d, i) => {
    lon[i] = d.lon;
    lat[i] = d.lat;
    lastTs[i] = Date.parse(d.lastTs);
    status[i] = STATUS_CODES[d.status];
  });
  return tableToIPC(
    new Table({
      id: vectorFromArray(
        devices.map((d) => d.id),
        new Utf8(),
      ),
      family: vectorFromArray(
        devices.map((d) => d.family),
        new Utf8(),
      ),
      kind: vectorFromArray(
        devices.map((d) => d.kind),
        new Utf8(),
      ),
      area: vectorFromArray(
        devices.map((d) => d.area),
        new Utf8(),
      ),
      unit: vectorFromArray(
        devices.map((d) => d.unit),
        new Utf8(),
      ),
      // The agency's name as people read it (its code when the registry has none); null: not registered.
      agency: vectorFromArray(
        devices.map((d) => d.agencyName ?? d.agency),
        new Utf8(),
      ),
      maintenance: vectorFromArray(
        devices.map((d) => d.maintenance),
        new Utf8(),
      ),
      lon: makeVector(lon),
      lat: makeVector(lat),
      value: vectorFromArray(
        devices.map((d) => d.value),
        new Float64(),
      ),
      status: makeVector(status),
      lastTs: makeVector(lastTs),
    }),
    'stream',
  );
}

export function layerRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const readers = requireRole(...GRANTS.read);

  /** Columns, not objects: the wall copies them straight into deck.gl's binary attributes. */
  api.get('/layers/devices', readers, validate('query', DevicesQuery), async (c) => {
    const { devices, gone } = await devicesAt(ctx, c.req.valid('query').at);
    const headers: Record<string, string> = { 'content-type': ARROW_STREAM, 'x-row-count': String(devices.length) };
    // Arrow has no room for a sentence: why the layer is empty travels beside it.
    if (gone !== null) headers['x-devices-unknown'] = gone;
    return new Response(devicesToArrow(devices) as Uint8Array<ArrayBuffer>, { headers });
  });

  /** One device's headline value per minute, for the wall's hover and click cards. */
  api.get('/devices/:id/series', readers, validate('param', DevicePath), validate('query', SeriesQuery), async (c) => {
    const { id } = c.req.valid('param');
    const { minutes } = c.req.valid('query');
    const rows = await ctx.reader.objects<{ t: number; value: number | null }>(
      `
      SELECT epoch_ms(time_bucket(INTERVAL 1 MINUTE, ts)) AS t, avg(v) AS value FROM (
        SELECT ts, avg_speed_kmh AS v FROM camera_events WHERE camera_id = $id AND ts >= $from::TIMESTAMPTZ
        UNION ALL
        SELECT ts, ${SENSOR_VALUE} FROM sensor_events WHERE sensor_id = $id AND ts >= $from::TIMESTAMPTZ
      ) GROUP BY ALL ORDER BY t`,
      { id, from: timestampParam(Date.now() - minutes * 60_000) },
    );
    return c.json({ id, minutes, points: rows.map((r) => ({ t: new Date(r.t).toISOString(), value: r.value })) });
  });

  api.route('/', feedbackLayerRoutes(ctx));
  return api;
}
