// Cross-origin access for the replicas of ENGINES only: a wall served by one replica calls the API and the live feed
// of another after a failover. Any other origin gets no CORS header at all (never `*`), as before the setting existed.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** The distinct origins (scheme, host, port) of the engines' base URLs; a path prefix plays no part in CORS. */
export function engineOrigins(engines: readonly string[]): string[] {
  return [...new Set(engines.map((e) => new URL(e).origin))];
}

/** For `/api/*`: preflights and answers for the engines' origins; every other request passes through untouched. */
export function engineCors(engines: readonly string[]): MiddlewareHandler {
  const origins = new Set(engineOrigins(engines));
  const allow = cors({
    origin: (origin) => (origins.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // The bearer token is a header, not a cookie: no credentials mode, so no cookie of this origin ever travels.
    allowHeaders: ['authorization', 'content-type', 'accept'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || !origins.has(origin)) {
      await next();
      // Whether the answer carries CORS headers depends on the Origin: a shared cache must not reuse it across origins.
      c.header('Vary', 'Origin', { append: true });
      return;
    }
    return allow(c, next);
  };
}
