// GET /api/layers/feedback: citizens' reports received in a range, counted per small cell of the map.
import { z } from 'zod';
import { isoTime } from './fields.ts';

const feedbackCellSchema = z.object({
  /** The mean position of the cell's reports. */
  lon: z.number(),
  lat: z.number(),
  reports: z.number().int().min(1),
  /** Of those, not yet resolved or rejected. */
  open: z.number().int().min(0),
});
export type FeedbackCell = z.infer<typeof feedbackCellSchema>;

export const feedbackLayerSchema = z.object({
  from: isoTime,
  to: isoTime,
  /** The cells' size in degrees of longitude and latitude. */
  cellDeg: z.number().positive(),
  reports: z.number().int().min(0),
  cells: z.array(feedbackCellSchema),
});
export type FeedbackLayer = z.infer<typeof feedbackLayerSchema>;
