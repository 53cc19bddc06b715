// Authentication: the bearer token of a request (or of a socket's handshake) checked against the token file, and the
// identity it stands for put on the request. Public routes need none; a guarded path without a route's requirement is
// refused, so that a route nobody gave a requirement is closed, not open.
import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../errors.ts';
import { ANONYMOUS, type AccessEnv } from './identity.ts';
import { routeName, routeRequirement } from './require-role.ts';
import type { AccessOptions } from './options.ts';
import type { Role } from './roles.ts';
import type { Identity, TokenStore } from './tokens.ts';

const HINT = 'create one with: npx ioc token create --role <operator|analyst|leader|admin|security> --name <you>';

/** The token in `Authorization: Bearer …`, or for socket.io the handshake's auth.token. */
export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** The identity of a presented token; `what` names what it was presented for. */
export function verifyToken(tokens: TokenStore, token: string | null, what: string): Identity {
  if (!token) throw new EngineError('unauthorized', `${what} needs a bearer token (Authorization: Bearer …); ${HINT}`);
  const who = tokens.verify(token);
  if (!who) throw new EngineError('unauthorized', 'the token is not recognised or has been revoked');
  return who;
}

/** A token whose role is one of `allowed`: the live feed's handshake, which has no route. */
export function checkToken(tokens: TokenStore, token: string | null, allowed: readonly Role[], what: string): Identity {
  const who = verifyToken(tokens, token, what);
  if (!allowed.includes(who.role))
    throw new EngineError('forbidden', `role ${who.role} may not use ${what}; allowed: ${allowed.join(', ')}`);
  return who;
}

/** The paths that only routes with a requirement may answer; others (a page that is not there) end in a 404. */
const guarded = (path: string): boolean => path.startsWith('/api/') || path === '/metrics';

/** Without access control, or with it off (AUTH off), every request acts as anonymous. */
export function authenticate(
  access: Pick<AccessOptions, 'enabled' | 'tokens'> | undefined,
): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    if (!access?.enabled) {
      c.set('identity', ANONYMOUS);
      return next();
    }
    const required = routeRequirement(c);
    if (required === undefined && guarded(c.req.path))
      throw new EngineError('forbidden', `no access rule for ${c.req.method} ${c.req.path}`);
    const open = required === undefined || required === 'public';
    c.set(
      'identity',
      open ? ANONYMOUS : verifyToken(access.tokens, bearer(c.req.header('authorization')), routeName(c)),
    );
    await next();
  };
}
