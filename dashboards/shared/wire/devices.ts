// Devices: GET /api/devices, the live `devices` event (changed devices only) and one device's recent values.
import { z } from 'zod';
import { isoTime } from './fields.ts';

const deviceStatusSchema = z.enum(['ok', 'warn', 'alert', 'silent']);
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

const deviceSchema = z.object({
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
  /** In the device registry: the agency that owns it and whether it is in service. */
  registered: z.boolean(),
  agency: z.string().nullable(),
  agencyName: z.string().nullable(),
  maintenance: z.enum(['in_service', 'maintenance', 'faulty', 'retired']).nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

export const devicesSchema = z.object({
  devices: z.array(deviceSchema),
  /** With `?at=`: the instant asked for, and why no device can be told then (null: they could). */
  at: z.string().optional(),
  unknown: z.string().nullable().optional(),
});
export type Devices = z.infer<typeof devicesSchema>;

/** GET /api/devices/:id/series: the device's headline value per minute over the last `minutes`. */
export const deviceSeriesSchema = z.object({
  id: z.string(),
  minutes: z.number(),
  points: z.array(z.object({ t: isoTime, value: z.number().nullable() })),
});
