// The access check in front of every route: the route's rule, the bearer token's role, and a rate limit per token.
import type { Context, MiddlewareHandler } from 'hono';
import { EngineError } from '../errors.ts';
import { ruleFor, type Role } from './roles.ts';
import type { Identity, TokenStore } from './tokens.ts';

export interface AccessOptions {
  enabled: boolean; tokens: TokenStore; ratePerSecond: number; burst: number;
  /** Analyst queries one token may have running at once (the pool's limit is for everyone together). */
  sqlPerToken?: number;
}

const HINT = 'create one with: npx ioc token create --role <operator|analyst|leader|admin> --name <you>';

/** The token in `Authorization: Bearer …`, or for socket.io the handshake's auth.token. */
export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export function checkToken(tokens: TokenStore, token: string | null, allowed: readonly Role[] | 'public', what: string): Identity {
  if (allowed === 'public') return { name: 'public', role: 'admin' };
  if (!token) throw new EngineError('unauthorized', `${what} needs a bearer token (Authorization: Bearer …); ${HINT}`);
  const who = tokens.verify(token);
  if (!who) throw new EngineError('unauthorized', 'the token is not recognised or has been revoked');
  if (!allowed.includes(who.role)) throw new EngineError('forbidden', `role ${who.role} may not use ${what}; allowed: ${allowed.join(', ')}`);
  return who;
}

/** Token buckets per identity: a burst from one token does not slow another. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perSecond: number, private readonly burst: number) {}
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

export function accessControl(opts: AccessOptions): MiddlewareHandler {
  const limiter = new RateLimiter(opts.ratePerSecond, opts.burst);
  const sqlRunning = new Map<string, number>();
  return async (c: Context, next) => {
    const rule = ruleFor(c.req.method, c.req.path);
    if (!rule) {
      // Deny by default: an API route nobody wrote a rule for is closed, not open. Other paths end in a JSON 404.
      const guarded = c.req.path.startsWith('/api/') || c.req.path === '/metrics';
      if (!opts.enabled || !guarded) return next();
      throw new EngineError('forbidden', `no access rule for ${c.req.method} ${c.req.path}`);
    }
    if (rule.roles === 'public' || !opts.enabled) return next();
    const who = checkToken(opts.tokens, bearer(c.req.header('authorization')), rule.roles, `${rule.method} ${rule.path}`);
    if (!limiter.take(who.name)) {
      throw new EngineError('rate_limited', `token "${who.name}" is over its rate limit of ${opts.ratePerSecond} requests/s (burst ${opts.burst}; RATE_LIMIT, RATE_BURST)`);
    }
    c.set('identity' as never, who as never);
    if (opts.sqlPerToken && c.req.method === 'POST' && c.req.path === '/api/sql') {
      const running = sqlRunning.get(who.name) ?? 0;
      if (running >= opts.sqlPerToken) {
        throw new EngineError('rate_limited', `token "${who.name}" already has ${running} SQL ${running === 1 ? 'query' : 'queries'} running (SQL_PER_TOKEN=${opts.sqlPerToken}); wait for it or cancel it`);
      }
      sqlRunning.set(who.name, running + 1);
      try {
        return await next();
      } finally {
        const left = (sqlRunning.get(who.name) ?? 1) - 1;
        if (left > 0) sqlRunning.set(who.name, left); else sqlRunning.delete(who.name);
      }
    }
    return next();
  };
}
