// Camera metadata events: vehicle counts, speeds and incidents per reporting interval.
import { z } from 'zod';
import { base, Id, Lat, Lon } from './common.ts';

const count = z.number().int('must be a whole number').min(0, 'must be ≥ 0').max(1_000_000);

const INCIDENT_TYPES = ['accident', 'congestion', 'flooding', 'fire', 'crowd', 'wrong_way', 'stopped_vehicle'] as const;

export const cameraShape = {
  ...base,
  cameraId: Id,
  lat: Lat,
  lon: Lon,
  counts: z.object({ car: count, motorbike: count, bus: count, truck: count, bicycle: count, pedestrian: count }),
  intervalS: z.number().int().min(1).max(86_400).default(60),
  avgSpeedKmh: z.number().min(0).max(300).optional(),
  occupancy: z.number().min(0).max(1).optional(),
  queueM: z.number().min(0).max(100_000).optional(),
  incident: z.object({ type: z.enum(INCIDENT_TYPES), confidence: z.number().min(0).max(1) }).optional(),
};

export const CameraEvent = z.looseObject(cameraShape);
export type CameraEvent = z.infer<typeof CameraEvent>;
