// GET /api/health: rows stored, ingest progress, rollup ticks, event-time progress, sources and analysts' queries.
import { z } from 'zod';

const count = z.number();
const time = z.string().nullable();

/** A connector's state: a union on `type`, as the sources report it. */
const sourceStatusSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connecting'), url: z.string() }),
  z.object({ type: z.literal('connected'), url: z.string() }),
  z.object({ type: z.literal('reconnecting'), url: z.string(), attempt: z.number(), error: z.string().optional() }),
  z.object({ type: z.literal('closed'), reason: z.string() }),
]);

export const healthSchema = z.object({
  status: z.literal('ok'),
  uptimeS: z.number(),
  /** Rows per event table. */
  rows: z.record(z.string(), count),
  deadLetters: count,
  ingest: z.object({
    lagMs: z.number(),
    messages: count,
    stored: z.record(z.string(), count),
    duplicates: count,
    deadLetters: count,
    batches: count,
    lastFlushMs: z.number(),
    pendingRows: count,
    lastCommitAt: time,
  }),
  views: z.object({ ticks: count, lastTickMs: z.number(), dirtyWindows: count }),
  /** Per family: the newest committed event time, the watermark behind it and how far it trails the clock. */
  eventTime: z.record(z.string(), z.object({ newest: time, watermark: time, lagMs: z.number().nullable() })),
  sources: z.record(z.string(), sourceStatusSchema),
  /** Analysts' queries running and waiting, and how far behind their replica is (when there is one). */
  sql: z.object({
    running: count,
    queued: count,
    replica: z.object({ steps: count, failures: count, ageMs: z.number().nullable() }).optional(),
  }),
});
export type Health = z.infer<typeof healthSchema>;
