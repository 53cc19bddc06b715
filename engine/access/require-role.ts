// The requirement each route declares in front of its handler: the roles that may use it, or public. Authentication
// and the rate limit read it too (a public route needs no token), and a route without one is refused.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { EngineError } from '../errors.ts';
import { ANONYMOUS, identityOf, type AccessEnv } from './identity.ts';
import type { Role } from './roles.ts';

export type Requirement = readonly Role[] | 'public';

const requirements = new WeakMap<object, Requirement>();

/** Hono keeps a sub-app's handler as it is, or wraps it (when the sub-app has its own error handler) and keeps it here. */
const COMPOSED = '__COMPOSED_HANDLER';

/** The requirement a handler stands for, if it is one: how a test walks the app's routes. */
export function requirementOf(handler: object): Requirement | undefined {
  return requirements.get(handler) ?? requirements.get((handler as Record<string, object>)[COMPOSED] ?? {});
}

/** The requirement of the route a request reached, if it declared one. */
export function routeRequirement(c: Context): Requirement | undefined {
  for (const route of matchedRoutes(c)) {
    const found = requirementOf(route.handler);
    if (found) return found;
  }
  return undefined;
}

/** What the refusal names: the route as declared (`POST /api/alerts/:id/ack`); HEAD is GET's. */
export function routeName(c: Context): string {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  const index = matchedRoutes(c).findIndex((r) => requirementOf(r.handler) !== undefined);
  return `${method} ${index >= 0 ? routePath(c, index) : c.req.path}`;
}

export function mayUse(role: Role, required: Requirement): boolean {
  return required === 'public' || required.includes(role);
}

/** Only these roles may use the route; anonymous (AUTH off) may use every route. */
export function requireRole(...roles: readonly Role[]): MiddlewareHandler<AccessEnv> {
  const check: MiddlewareHandler<AccessEnv> = async (c, next) => {
    const who = identityOf(c);
    if (who !== ANONYMOUS && !roles.includes(who.role)) {
      throw new EngineError('forbidden', `role ${who.role} may not use ${routeName(c)}; allowed: ${roles.join(', ')}`);
    }
    await next();
  };
  requirements.set(check, Object.freeze([...roles]));
  return check;
}

/** Anyone may use the route, without a token: the pages, their files, health. */
export const publicRoute: MiddlewareHandler = async (_c, next) => {
  await next();
};
requirements.set(publicRoute, 'public');
