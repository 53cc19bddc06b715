// Resynchronising after a failover: GET /api/indicators/:name?since= answers the windows changed since a moment, each
// with the time it changed (`updatedAt`, the answering replica's clock), as the live `indicator` event does.
import { z } from 'zod';
import { isoTime } from './fields.ts';
import { seriesSchema } from './indicators.ts';

const rowSchema = seriesSchema.shape.rows.element;

/** A window as the engine last wrote it. */
const changedRowSchema = rowSchema.extend({ updatedAt: isoTime });

/** The series, only the windows whose value changed at or after `since`; never re-bucketed. */
export const changedSeriesSchema = seriesSchema.extend({ since: isoTime, rows: z.array(changedRowSchema) });
export type ChangedSeries = z.infer<typeof changedSeriesSchema>;
