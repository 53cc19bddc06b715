// POST /api/ingest?family=: a JSON array or NDJSON body of events, answered once its batch is committed, event by event.
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { z } from 'zod';
import type { DecodeResult } from '../decode.ts';
import { EngineError } from '../errors.ts';
import { FAMILIES, FAMILY_DEFS, FAMILY_LIST, type Family } from '../schema/index.ts';
import { limitBody } from './body-limit.ts';
import type { ServeContext } from './context.ts';
import { validate } from './validate.ts';

export interface IngestAnswer {
  family: Family;
  /** Events found in the body. */
  events: number;
  /** Stored as new rows. */
  stored: number;
  /** Valid, but their id was already stored (a repeat). */
  duplicates: number;
  /** Dead-lettered, with the reason naming the field; `index` is the 0-based element or line. */
  rejected: { index: number | null; id: string | null; reason: string }[];
}

const Query = z.object({ family: z.enum(FAMILIES, { message: `must be ${FAMILY_LIST}` }) });
const COMMIT_TIMEOUT_MS = 30_000;
const decoder = new TextDecoder();

// Rows of one request are found again by their receive time, so no two requests share a millisecond.
let lastStamp = 0;
const stamp = (): number => (lastStamp = Math.max(Date.now(), lastStamp + 1));

export function ingestRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const limit = limitBody(ctx.config.ingestMaxBytes, ', set by INGEST_MAX_BYTES: send it in parts');
  api.post('/', requireRole(...GRANTS.ingest), limit, validate('query', Query), async (c) => {
    const door = ctx.ingestDoor;
    if (!door) throw new EngineError('unavailable', 'HTTP ingest is not available in this engine');
    const { family } = c.req.valid('query');
    const payload = new Uint8Array(await c.req.arrayBuffer());
    let committed!: () => void;
    const done = new Promise<void>((resolve) => {
      committed = resolve;
    });
    const receivedAt = stamp();
    const decoded = door.submit({
      source: 'http',
      topic: `city/${family}/http`,
      payload,
      receivedAt,
      ack: () => committed(),
    });
    if (decoded === 'stopping')
      throw new EngineError('unavailable', 'the engine is stopping: send again once it is back');
    if (decoded === 'busy') {
      c.header('Retry-After', '1');
      throw new EngineError('unavailable', 'the engine is behind on its commits: send again in a second');
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, COMMIT_TIMEOUT_MS, 'late');
    });
    const outcome = await Promise.race([done, late]);
    clearTimeout(timer);
    if (outcome === 'late')
      throw new EngineError(
        'unavailable',
        `not committed within ${COMMIT_TIMEOUT_MS / 1000} s; the events stay queued and will be stored`,
      );
    return c.json(await answer(ctx, family, decoded, receivedAt));
  });
  return api;
}

async function answer(
  ctx: ServeContext,
  family: Family,
  decoded: DecodeResult,
  receivedAt: number,
): Promise<IngestAnswer> {
  const ids = decoded.rows.map((r) => (r.event as { id: string }).id);
  let stored = 0;
  if (ids.length > 0) {
    // The rows this request added carry its receive time; a repeat of a stored id kept the earlier row.
    const [row] = await ctx.reader.objects<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM ${FAMILY_DEFS[family].table}
       WHERE received_at = make_timestamptz($t * 1000) AND id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))`,
      { t: receivedAt, ids: JSON.stringify(ids) },
    );
    stored = row?.n ?? 0;
  }
  return {
    family,
    events: decoded.rows.length + decoded.rejects.length,
    stored,
    duplicates: ids.length - stored,
    rejected: decoded.rejects.map((r) => ({ index: r.index ?? null, id: idOf(r.payload), reason: r.reason })),
  };
}

function idOf(payload: Uint8Array): string | null {
  if (payload.byteLength > 64 * 1024) return null;
  try {
    const v: unknown = JSON.parse(decoder.decode(payload));
    const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id.slice(0, 128) : null;
  } catch {
    return null;
  }
}
