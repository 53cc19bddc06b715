// Who a request acts as: the token's identity that access control put on it, or "anonymous" when AUTH is off.
import type { Context } from 'hono';
import type { Identity } from './tokens.ts';

/** With AUTH off every route is open, so the anonymous caller may do what an admin may. */
export const ANONYMOUS: Identity = Object.freeze({ name: 'anonymous', role: 'admin' });

export function identityOf(c: Context): Identity {
  const who = (c.var as Record<string, unknown>)['identity'] as Identity | undefined;
  return who ?? ANONYMOUS;
}
