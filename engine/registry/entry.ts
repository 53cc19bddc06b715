// What the registry holds about one device: the agency that owns it, what it is, since when, whether it is in service,
// and the ward or commune it serves. One schema for PUT /api/devices/:id, the CSV import and the command stream.
import { z } from 'zod';
import { Id, PlainText } from '../schema/common.ts';

/** In service: expected to report. The others are known to be off (and are not held against their agency). */
export const MAINTENANCE = ['in_service', 'maintenance', 'faulty', 'retired'] as const;
export type Maintenance = (typeof MAINTENANCE)[number];

export const REGISTRY_FAMILIES = ['camera', 'sensor', 'service'] as const;

const Text = PlainText.max(200);

/** A calendar date that reads back the same (2026-02-30 does not). */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD, e.g. 2024-03-15')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(s);
  }, 'must be a calendar date (that day does not exist)')
  .refine((s) => s >= '1990-01-01', 'must be 1990-01-01 or later');

export const DeviceEntry = z.strictObject({
  family: z.enum(REGISTRY_FAMILIES, { error: `must be one of ${REGISTRY_FAMILIES.join(', ')}` }),
  /** The owner agency's code, as the services' topics name agencies: so-tai-chinh, cong-an-thanh-pho. */
  agency: Id,
  /** The agency's name as people read it: Sở Tài chính. */
  agencyName: Text.min(1).nullable().default(null),
  model: Text.min(1).nullable().default(null),
  installedOn: CalendarDate.nullable().default(null),
  maintenance: z.enum(MAINTENANCE, { error: `must be one of ${MAINTENANCE.join(', ')}` }).default('in_service'),
  /** The ward or commune the device serves (its code). */
  area: z.string().min(1).max(64).nullable().default(null),
});
export type DeviceEntry = z.infer<typeof DeviceEntry>;

export const DeviceId = Id;

/** An entry as stored, with its id and who last changed it. */
export interface RegisteredDevice extends DeviceEntry {
  id: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * What the schema cannot know alone: the area must be a ward or commune of the areas file, and a public-service
 * source is its agency (its events name the agency, as the topic city/service/<agency> does).
 */
export function entryProblem(
  id: string,
  e: DeviceEntry,
  isUnit: (code: string) => boolean,
  field: (name: keyof DeviceEntry) => string = (name) => name,
): string | null {
  if (e.area !== null && !isUnit(e.area))
    return `field "${field('area')}": "${e.area}" is not a ward or commune code (GET /api/areas?level=ward lists them)`;
  if (e.family === 'service' && e.agency !== id)
    return `field "${field('agency')}": a public-service source is its agency, so agency must be "${id}" (got "${e.agency}")`;
  return null;
}
