// Citizens' reports (the city's feedback app, hotline, web and social channels): a report's lifecycle, routed to a
// ward or agency unit.
import { z } from 'zod';
import { base, Id, Lat, Lon, Timestamp } from './common.ts';

export const FEEDBACK_CATEGORIES = [
  'traffic',
  'environment',
  'flooding',
  'lighting',
  'waste',
  'construction',
  'order',
  'administrative',
  'other',
] as const;
export const FEEDBACK_STATUSES = ['received', 'assigned', 'processing', 'resolved', 'rejected', 'reopened'] as const;
export const FEEDBACK_CHANNELS = ['app', 'hotline', 'web', 'social'] as const;

export const feedbackShape = {
  ...base,
  reportId: Id,
  category: z.enum(FEEDBACK_CATEGORIES),
  status: z.enum(FEEDBACK_STATUSES),
  channel: z.enum(FEEDBACK_CHANNELS),
  lat: Lat.optional(),
  lon: Lon.optional(),
  /** The ward or agency unit the report is assigned to. */
  unit: Id.optional(),
  dueAt: Timestamp.optional(),
  rating: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').optional(),
};

export const FeedbackEvent = z.looseObject(feedbackShape);
export type FeedbackEvent = z.infer<typeof FeedbackEvent>;
