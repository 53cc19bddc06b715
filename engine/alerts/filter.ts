// Which alerts and incidents to read: typed filters, validated by zod at the HTTP edge and turned into SQL with bound
// parameters by the store alone.
import { z } from 'zod';
import { alertStatusSchema } from '../../dashboards/shared/wire/index.ts';
import { SEVERITIES } from './rule.ts';

const code = z
  .string()
  .max(64)
  .regex(/^[\w.-]+$/, 'must be a code such as ba_dinh');
/** Epoch milliseconds from an RFC 3339 time with its offset. */
const instant = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 time with an offset, e.g. 2026-11-27T08:00:00+07:00' })
  .transform((s) => Date.parse(s));
/** A status, or `active`: open or acknowledged, anything not yet resolved. */
const STATUS_FILTERS = [...alertStatusSchema.options, 'active'] as const;

export const AlertFilter = z.object({
  /** One alert (the engine's own look-ups; not a query parameter). */
  id: z.string().optional(),
  status: z.enum(STATUS_FILTERS).optional(),
  area: code.optional(),
  rule: code.optional(),
  severity: z.enum(SEVERITIES).optional(),
  incident: code.optional(),
  /** Alerts whose life (opened to resolved, or still active) overlaps [from, to): a day replayed on the wall. */
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});
export type AlertFilter = z.infer<typeof AlertFilter>;
/** GET /api/alerts: every filter but the id. */
export const AlertQuery = AlertFilter.omit({ id: true });

export const IncidentFilter = z.object({
  id: z.string().optional(),
  // An empty `?status=` reads as no filter.
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(STATUS_FILTERS, { message: 'must be open, acknowledged, resolved or active' }).optional(),
  ),
  /** Incidents whose life (detected to resolved, or still active) overlaps [from, to): a day replayed on the wall. */
  from: instant.optional(),
  to: instant.optional(),
  limit: z.number().int().min(1).max(10_000).default(200),
});
export type IncidentFilter = z.infer<typeof IncidentFilter>;
/** GET /api/incidents: by status and life, the newest 200. */
export const IncidentQuery = IncidentFilter.pick({ status: true, from: true, to: true });
