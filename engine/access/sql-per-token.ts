// The analysts' queries one token may have running at once (the sandbox's pool limits everyone together).
import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../errors.ts';
import { ANONYMOUS, identityOf, type AccessEnv } from './identity.ts';

/**
 * In front of the route that runs a query, after its requirement; anonymous callers (AUTH off) are not counted, nor is
 * anyone without a `limit`.
 */
export function sqlPerToken(limit: number | undefined): MiddlewareHandler<AccessEnv> {
  const running = new Map<string, number>();
  return async (c, next) => {
    const who = identityOf(c);
    if (who === ANONYMOUS || limit === undefined) return next();
    const now = running.get(who.name) ?? 0;
    if (now >= limit) {
      throw new EngineError(
        'rate_limited',
        `token "${who.name}" already has ${now} SQL ${now === 1 ? 'query' : 'queries'} running (SQL_PER_TOKEN=${limit}); wait for it or cancel it`,
      );
    }
    running.set(who.name, now + 1);
    try {
      await next();
    } finally {
      const left = (running.get(who.name) ?? 1) - 1;
      if (left > 0) running.set(who.name, left);
      else running.delete(who.name);
    }
  };
}
