// The socket.io handshake passes the same check as HTTP (a token whose role may hear what the namespace carries, a cap
// on clients), and a revoked token's live sockets are disconnected within a second.
import type { Namespace, Server, Socket } from 'socket.io';
import {
  ANONYMOUS,
  bearer,
  checkToken,
  rolesHearing,
  type AccessOptions,
  type Identity,
  type LiveFeed,
} from '../access/index.ts';
import { EngineError } from '../errors.ts';
import { NAMESPACE as QUERIES } from './live-queries.ts';

/** What each namespace carries; who may open it follows from the feeds' routes. A namespace not listed is refused. */
const NAMESPACE_FEEDS: Record<string, readonly LiveFeed[]> = {
  '/': [{ type: 'indicators' }, { type: 'alerts' }, { type: 'devices' }],
  [QUERIES]: [{ type: 'queries' }],
};

/** The identity the guard gave a socket; sockets of a server without access control are open, as on loopback. */
export function socketIdentity(socket: Socket): Identity {
  return (socket.data as { identity?: Identity }).identity ?? ANONYMOUS;
}

export function guardSockets(io: Server, access: AccessOptions & { maxSocketClients: number }): void {
  // The token each socket came with, kept here rather than on `socket.data` (which adapters may share), to check it again.
  const tokenOf = new WeakMap<Socket, string>();
  const live = new Set<Socket>();
  let unwatch: (() => void) | null = null;

  const guard = (socket: Socket, next: (err?: Error) => void): void => {
    try {
      if (io.engine.clientsCount > access.maxSocketClients) {
        throw new EngineError('rate_limited', `too many live clients (MAX_SOCKET_CLIENTS=${access.maxSocketClients})`);
      }
      if (access.enabled) {
        const feeds = NAMESPACE_FEEDS[socket.nsp.name];
        if (!feeds) throw new EngineError('forbidden', `no access rule for the live namespace ${socket.nsp.name}`);
        const auth = socket.handshake.auth as { token?: unknown } | undefined;
        const token = typeof auth?.token === 'string' ? auth.token : bearer(socket.handshake.headers.authorization);
        socket.data.identity = checkToken(
          access.tokens,
          token,
          rolesHearing(feeds),
          `the live feed ${socket.nsp.name}`,
        );
        tokenOf.set(socket, token!);
      } else {
        socket.data.identity = ANONYMOUS;
      }
      next();
    } catch (err) {
      // socket.io hands `data` to the client with the refusal: the same code and message as an HTTP error.
      const e = new Error((err as Error).message) as Error & { data?: unknown };
      e.data = { code: err instanceof EngineError ? err.code : 'internal' };
      next(e);
    }
  };

  // A socket outlives the handshake that checked its token: when the token file changes, each live socket's token is
  // checked again and the revoked ones are cut off (their clients then meet the handshake's refusal if they retry).
  const recheck = (): void => {
    for (const socket of live) {
      let valid: boolean;
      // A token file that cannot be read is no proof: fail closed, as HTTP requests do then.
      try {
        valid = access.tokens.verify(tokenOf.get(socket)!) !== null;
      } catch {
        valid = false;
      }
      if (!valid) socket.disconnect(true);
    }
  };
  // The file is watched only while a token's socket is live: a closed hub leaves no timer behind.
  const track = (socket: Socket): void => {
    if (!tokenOf.has(socket)) return;
    live.add(socket);
    unwatch ??= access.tokens.watch(recheck);
    socket.once('disconnect', () => {
      live.delete(socket);
      if (live.size === 0 && unwatch) {
        unwatch();
        unwatch = null;
      }
    });
  };

  const protect = (ns: Namespace): void => {
    ns.use(guard);
    ns.on('connection', track);
  };
  protect(io.of('/'));
  // Namespaces made later (live query tiles) get the same guard.
  io.on('new_namespace', protect);
}
