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

/**
 * This engine as one replica of several (or alone): whether it leads (it alone forwards alerts), whether it has caught
 * up with the stream (load balancers send walls only to ready ones), and how many messages it still has to commit.
 */
export const replicaStateSchema = z.object({
  name: z.string(),
  role: z.enum(['leader', 'follower']),
  ready: z.boolean(),
  lagMessages: z.number().nullable(),
  /** The replica that holds the lease, when known. */
  leader: z.string().nullable(),
  /** Why it is not ready, for the operator; null when ready. */
  reason: z.string().nullable(),
});
export type ReplicaState = z.infer<typeof replicaStateSchema>;

/** The outbox of alert, incident and briefing emails: what waits, what went, what was given up and why. */
export const emailHealthSchema = z.object({
  /** Whether SMTP_URL is set: without it nothing is emailed and the counts stay 0. */
  configured: z.boolean(),
  queued: count,
  sent: count,
  /** Given up after every retry. */
  failed: count,
  retries: count,
  /** Dropped unsent, the oldest first, when the queue was full. */
  dropped: count,
  lastError: z.string().nullable(),
  lastErrorAt: time,
});
export type EmailHealth = z.infer<typeof emailHealthSchema>;

export const healthSchema = z.object({
  status: z.literal('ok'),
  uptimeS: z.number(),
  /** This engine runs the Hanoi simulator: what it shows is simulated data. */
  simulated: z.boolean(),
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
    /** Whether commits reach the disk: while they fail (a full disk) nothing is acknowledged, and it resumes by itself. */
    storage: z.object({ ok: z.boolean(), failingSince: time, lastError: z.string().nullable(), failedCommits: count }),
  }),
  views: z.object({
    ticks: count,
    lastTickMs: z.number(),
    dirtyWindows: count,
    /** Views kept by folding new rows into window states, and why each other view recomputes its windows. */
    folded: z.array(z.string()).optional(),
    recomputed: z.record(z.string(), z.string()).optional(),
    /** The last recompute of those views (ms), and the time it sets before the next (RECOMPUTE_BUDGET_PCT). */
    lastRecomputeMs: z.number().optional(),
    recomputeEveryMs: z.number().optional(),
  }),
  /** Per family: the newest committed event time, the watermark behind it and how far it trails the clock. */
  eventTime: z.record(z.string(), z.object({ newest: time, watermark: time, lagMs: z.number().nullable() })),
  sources: z.record(z.string(), sourceStatusSchema),
  replica: replicaStateSchema,
  /** Analysts' queries running and waiting, and how far behind their replica is (when there is one). */
  sql: z.object({
    running: count,
    queued: count,
    replica: z.object({ steps: count, failures: count, ageMs: z.number().nullable() }).optional(),
  }),
  email: emailHealthSchema,
});
export type Health = z.infer<typeof healthSchema>;
