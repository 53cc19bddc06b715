// The analysts' queries one token may have running at once (the sandbox's pool limits everyone together), counted
// across the doors they come by: HTTP and the PostgreSQL protocol share one count.
import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../errors.ts';
import { ANONYMOUS, identityOf, type AccessEnv } from './identity.ts';
import type { Identity } from './tokens.ts';

export class SqlSlots {
  private readonly running = new Map<string, number>();

  /** `limit` undefined: no limit per token. */
  constructor(readonly limit: number | undefined) {}

  /**
   * Takes one of the token's slots, or refuses with `rate_limited`; call the answer once the query is over. Anonymous
   * callers (AUTH off) are not counted.
   */
  take(who: Identity): () => void {
    if (who === ANONYMOUS || this.limit === undefined) return () => undefined;
    const now = this.running.get(who.name) ?? 0;
    if (now >= this.limit)
      throw new EngineError(
        'rate_limited',
        `token "${who.name}" already has ${now} SQL ${now === 1 ? 'query' : 'queries'} running (SQL_PER_TOKEN=${this.limit}); wait for it or cancel it`,
      );
    this.running.set(who.name, now + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.running.get(who.name) ?? 1) - 1;
      if (left > 0) this.running.set(who.name, left);
      else this.running.delete(who.name);
    };
  }
}

/** In front of the route that runs a query, after its requirement. */
export function sqlPerToken(slots: SqlSlots | undefined): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    const release = slots?.take(identityOf(c)) ?? (() => undefined);
    try {
      await next();
    } finally {
      release();
    }
  };
}
