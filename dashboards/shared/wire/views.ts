// Views made on a running engine: GET /api/views/:name and the live `view` event (created, filling, live, removed).
import { z } from 'zod';

export const viewStatusSchema = z.object({
  status: z.enum(['backfilling', 'live', 'failed']),
  /** Share of the history already in the view's rollup, 0 to 1. */
  progress: z.number().min(0).max(1),
  error: z.string().optional(),
});

/** Where a view or rule comes from: a file under views/, or the API (then its text, who made it and when). */
export const definitionOriginSchema = z.object({
  name: z.string(),
  origin: z.enum(['file', 'runtime']),
  file: z.string().optional(),
  text: z.string().optional(),
  createdBy: z.string().optional(),
  createdAt: z.string().optional(),
  updatedBy: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type DefinitionOrigin = z.infer<typeof definitionOriginSchema>;

export const viewDescriptionSchema = viewStatusSchema.extend(definitionOriginSchema.shape).extend({ rows: z.number() });
export type ViewDescription = z.infer<typeof viewDescriptionSchema>;

/** `view` event: a view appeared, changed, filled a share of its history, went live or was removed. */
export const viewEventSchema = viewStatusSchema.extend({
  name: z.string(),
  change: z.enum(['created', 'replaced', 'deleted', 'progress', 'live']),
});
export type ViewEvent = z.infer<typeof viewEventSchema>;

/** First windows of a view not yet created (POST /api/views?preview=true). */
export const viewPreviewSchema = z.object({
  name: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
  from: z.string(),
  to: z.string(),
});
export type ViewPreview = z.infer<typeof viewPreviewSchema>;
