// The rate limit per token: token buckets, so a burst from one token does not slow another.
import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../errors.ts';
import { ANONYMOUS, type AccessEnv } from './identity.ts';
import { mayUse, routeRequirement } from './require-role.ts';

class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}
  take(key: string, now = performance.now()): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/**
 * After authentication, for requests made with a token. A request the token's role may not make is left to the
 * route's requirement: it is refused as forbidden, and not counted.
 */
export function rateLimit(opts: { ratePerSecond: number; burst: number }): MiddlewareHandler<AccessEnv> {
  const buckets = new TokenBuckets(opts.ratePerSecond, opts.burst);
  return async (c, next) => {
    const who = c.get('identity');
    const required = routeRequirement(c);
    if (who && who !== ANONYMOUS && required && mayUse(who.role, required) && !buckets.take(who.name)) {
      throw new EngineError(
        'rate_limited',
        `token "${who.name}" is over its rate limit of ${opts.ratePerSecond} requests/s (burst ${opts.burst}; RATE_LIMIT, RATE_BURST)`,
      );
    }
    await next();
  };
}
