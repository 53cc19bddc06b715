// Who a request acts as: the identity authentication put on the context, typed as a Hono variable.
import type { Context } from 'hono';
import type { Identity } from './tokens.ts';

/** With AUTH off every route is open, so the anonymous caller may do what an admin may; public routes get it too. */
export const ANONYMOUS: Identity = Object.freeze({ name: 'anonymous', role: 'admin' });

/** The context variables access control sets: every app and sub-app that reads the identity is typed by it. */
export interface AccessEnv {
  Variables: { identity: Identity };
}

/** An app without authentication in front (a route tested on its own) acts as anonymous. */
export function identityOf(c: Context<AccessEnv>): Identity {
  return c.get('identity') ?? ANONYMOUS;
}
