// Alerts and incidents: GET /api/alerts, /api/incidents, the answers of their actions and the live `alert` event.
import { z } from 'zod';
import { bilingualSchema, isoTime } from './fields.ts';

export const alertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

/** One alert: one rule breached in one area for one subject, through its lifecycle open → acknowledged → resolved. */
export const alertSchema = z.object({
  id: z.string(),
  rule: z.string(),
  kind: z.string(),
  severity: z.string(),
  area: z.string(),
  subject: z.string(),
  title: bilingualSchema,
  status: alertStatusSchema,
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  message: z.string(),
  /** When the condition began to hold (before the minimum duration let the alert open). */
  conditionSince: isoTime,
  openedAt: isoTime,
  acknowledgedAt: isoTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  comment: z.string().nullable(),
  resolvedAt: isoTime.nullable(),
  resolvedBy: z.string().nullable(),
  incidentId: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsSchema = z.object({ alerts: z.array(alertSchema) });

const checklistStepSchema = z.object({
  step: z.number(),
  vi: z.string(),
  en: z.string(),
  done: z.boolean(),
  by: z.string().nullable(),
  at: z.string().nullable(),
});

/** Alerts of one area that met in time, with the response checklist of the incident's type. */
const incidentSchema = z.object({
  id: z.string(),
  type: z.string(),
  area: z.string(),
  status: alertStatusSchema,
  detectedAt: isoTime,
  evidenceSince: isoTime,
  acknowledgedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
  alerts: z.number(),
  checklist: z.array(checklistStepSchema),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentsSchema = z.object({ incidents: z.array(incidentSchema) });

/** `alert` event, and the answer to acknowledge or resolve: one alert opened, acknowledged or resolved. */
export const alertEventSchema = z.object({
  type: z.enum(['opened', 'acknowledged', 'resolved']),
  alert: alertSchema,
  incident: incidentSchema.nullable(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;
