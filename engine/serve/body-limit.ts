// Request body caps: reading stops at the limit, the answer is a JSON 413 naming it, and the connection closes.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EngineError } from '../errors.ts';

/** Every /api body but ingest's: the largest reader is POST /api/sql (100 000 characters of SQL, UTF-8, plus parameters). */
export const API_BODY_MAX_BYTES = 1024 * 1024;

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * The 413 for a body over `limit`. The rest of the body is still on the wire: on an open connection the Node adapter
 * would read and discard up to 64 MB of it so as to reuse the connection, and a client sending its next request on
 * it would race the adapter giving up. Closing it after the answer stops both.
 */
export function tooLarge(c: Context, limit: number, hint = ''): EngineError {
  c.header('Connection', 'close');
  return new EngineError(
    'too_large',
    `request body is over the limit of ${formatBytes(limit)} (${limit} bytes)${hint}`,
    { details: { limitBytes: limit } },
  );
}

/** Hono's bodyLimit with the project's error: a declared length over the limit is refused unread, a chunked body once it passes it. */
export function limitBody(maxBytes: number, hint?: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      throw tooLarge(c, maxBytes, hint);
    },
  });
}

/** The whole body, read chunk by chunk and given up past `limit`, for routes whose cap is below the one in front of them. */
export async function readBody(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limit) throw tooLarge(c, limit);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // The rest is left unread: the 413 closes the connection, which ends it.
    if (size > limit) throw tooLarge(c, limit);
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
