// The socket.io handshake passes the same check as HTTP: a token of a role that may read the wall, and a cap on clients.
import type { Server, Socket } from 'socket.io';
import { bearer, checkToken, SOCKET_ROLES, type AccessOptions } from '../access/index.ts';
import { EngineError } from '../errors.ts';

export function guardSockets(io: Server, access: AccessOptions & { maxSocketClients: number }): void {
  const guard = (socket: Socket, next: (err?: Error) => void): void => {
    try {
      if (io.engine.clientsCount > access.maxSocketClients) {
        throw new EngineError('rate_limited', `too many live clients (MAX_SOCKET_CLIENTS=${access.maxSocketClients})`);
      }
      if (access.enabled) {
        const auth = socket.handshake.auth as { token?: unknown } | undefined;
        const token = typeof auth?.token === 'string' ? auth.token : bearer(socket.handshake.headers.authorization);
        socket.data.identity = checkToken(access.tokens, token, SOCKET_ROLES, 'the live feed');
      }
      next();
    } catch (err) {
      // socket.io hands `data` to the client with the refusal: the same code and message as an HTTP error.
      const e = new Error((err as Error).message) as Error & { data?: unknown };
      e.data = { code: err instanceof EngineError ? err.code : 'internal' };
      next(e);
    }
  };
  io.use(guard);
  // Namespaces made later (live query tiles) get the same guard.
  io.on('new_namespace', (ns) => ns.use(guard));
}
