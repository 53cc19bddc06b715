// The page's one socket.io connection to the engine that served it, shared by the live feed and the saved-query tiles
// on the live feed's terms: socket.io's own reconnection is off, since the live feed decides when to reconnect and
// where (it may move to another replica). With the tiles' feed made first, the connection once took the tiles'
// policy instead (retries backing off to 10 s) and held a wall dark long after its engine was back.
import { Manager, type Socket } from 'socket.io-client';
import { socketAuth } from './auth.ts';
import { PAGE_ENGINE } from './engines.ts';

/** An engine that accepts the connection but does not finish the handshake in this time is given up. */
export const CONNECT_TIMEOUT_MS = 3_000;

let manager: Manager | null = null;

/**
 * A socket on a namespace of the page's engine, not yet connected. Once the connection drops, each comes back when the
 * live feed connects again.
 */
export function pageSocket<S extends Socket>(namespace: string): S {
  manager ??= new Manager(PAGE_ENGINE, {
    path: `${new URL(PAGE_ENGINE).pathname.replace(/\/+$/, '')}/socket.io`,
    reconnection: false,
    autoConnect: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  return manager.socket(namespace, { auth: socketAuth }) as S;
}
