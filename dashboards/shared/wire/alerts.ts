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
  /** Still not acknowledged ESCALATE_AFTER_MIN after it opened: told to those above (null: not escalated). */
  escalatedAt: isoTime.nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsSchema = z.object({ alerts: z.array(alertSchema) });

/** What an incident may be opened as: the types the alerts give, and two only people report. */
export const INCIDENT_TYPES = [
  'flooding',
  'fire',
  'accident',
  'traffic',
  'air',
  'noise',
  'network',
  'services',
  'devices',
  'cyber',
  'public_order',
  'other',
] as const;

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
  /** info, warning or critical: given when opened by hand; an incident of alerts has its alerts' severities. */
  severity: z.string().nullable(),
  /** Opened by the alerts, or by hand (a phone call, a field report). */
  origin: z.enum(['alerts', 'manual']),
  openedBy: z.string().nullable(),
  description: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  /** The agency or ward unit handling it. */
  assignee: z.string().nullable(),
  escalatedAt: isoTime.nullable(),
  /** The closing summary of whoever resolved it. */
  summary: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentsSchema = z.object({ incidents: z.array(incidentSchema) });

/** `incident` event, and the answer to opening or changing one: the incident as it now stands. */
export const incidentEventSchema = z.object({
  /** `escalated`: left unacknowledged too long, and told to those above. */
  type: z.enum(['opened', 'changed', 'escalated']),
  incident: incidentSchema,
});
export type IncidentEvent = z.infer<typeof incidentEventSchema>;

/** `alert` event, and the answer to acknowledge or resolve: one alert opened, acknowledged, escalated or resolved. */
export const alertEventSchema = z.object({
  type: z.enum(['opened', 'acknowledged', 'escalated', 'resolved']),
  alert: alertSchema,
  incident: incidentSchema.nullable(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;
