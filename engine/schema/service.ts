// Public-service (one-stop shop) events: a dossier's lifecycle as seen by the agency's system.
import { z } from 'zod';
import { base, Id, Lat, Lon, Timestamp } from './common.ts';

const SERVICE_STATUSES = [
  'received',
  'processing',
  'supplement_requested',
  'completed',
  'rejected',
  'withdrawn',
] as const;
const CHANNELS = ['online', 'counter', 'postal'] as const;
const LEVELS = ['full', 'partial', 'none'] as const;

export const serviceShape = {
  ...base,
  dossierId: Id,
  procedure: z.string().min(1).max(256),
  // The agency names the service's topic (city/service/<agency>) like a device id does: held to the same rule.
  agency: Id,
  status: z.enum(SERVICE_STATUSES),
  channel: z.enum(CHANNELS),
  level: z.enum(LEVELS).optional(),
  dueAt: Timestamp.optional(),
  onlinePayment: z.boolean().optional(),
  lat: Lat.optional(),
  lon: Lon.optional(),
};

export const ServiceEvent = z.looseObject(serviceShape);
export type ServiceEvent = z.infer<typeof ServiceEvent>;
