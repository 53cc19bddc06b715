// A rate limit per client address, for routes anyone may use without a token (the open-data portal): token buckets
// refilled per minute, and past them a 429 that says when to come back.
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { errorResponse } from './errors.ts';

/** Addresses remembered at most; past it, those whose bucket has refilled are forgotten (they lose nothing). */
const MAX_ADDRESSES = 10_000;

/**
 * The socket's peer address. A proxy in front makes every client one address: X-Forwarded-For is not believed, since
 * anyone may write it. Requests without a socket (app.request in tests) share one key.
 */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function perAddress(perMinute: number, setting: string): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const refill = (b: { tokens: number; at: number }, now: number) => {
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
  };
  return async (c, next) => {
    const now = performance.now();
    const key = clientAddress(c);
    const b = buckets.get(key) ?? { tokens: perMinute, at: now };
    refill(b, now);
    if (b.tokens < 1) {
      const retryS = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
      const res = errorResponse(
        c,
        429,
        'rate_limited',
        `this address is over the open-data limit of ${perMinute} requests per minute (${setting}); retry in ${retryS} s`,
      );
      res.headers.set('retry-after', String(retryS));
      return res;
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > MAX_ADDRESSES)
      for (const [k, v] of buckets) {
        refill(v, now);
        if (v.tokens >= perMinute) buckets.delete(k);
      }
    await next();
  };
}
