// Saved queries promoted to a page: the socket.io namespace /queries and its messages, validated like every other event.
import { io, type Socket } from 'socket.io-client';
import { socketAuth } from './auth.ts';
import {
  QUERIES_NAMESPACE,
  queriesListSchema,
  tileResultSchema,
  type QueriesServerToClientEvents,
  type TileResult,
} from './wire/index.ts';

export interface QueryFeed {
  close(): void;
}

/**
 * Listens to /queries. On the page's own engine it shares the page's socket.io connection (same origin, same
 * manager), so a wall holds one websocket whatever it shows; on another replica (after a failover) it opens its own,
 * websocket first like the live feed there.
 */
export function connectQueries(
  on: { list(names: string[]): void; result(r: TileResult): void },
  engine: string = location.origin,
): QueryFeed {
  const own = engine === location.origin;
  const socket: Socket<QueriesServerToClientEvents> = io(own ? QUERIES_NAMESPACE : `${engine}${QUERIES_NAMESPACE}`, {
    auth: socketAuth,
    reconnection: true,
    reconnectionDelayMax: 10_000,
    ...(own ? {} : { transports: ['websocket', 'polling'] }),
  });
  socket.on('queries', (payload: unknown) => {
    const parsed = queriesListSchema.safeParse(payload);
    if (parsed.success) on.list(parsed.data.names);
  });
  socket.on('query', (payload: unknown) => {
    const parsed = tileResultSchema.safeParse(payload);
    if (parsed.success) on.result(parsed.data);
    else console.warn(`dropped an invalid query event: ${parsed.error.issues[0]?.message ?? ''}`);
  });
  return { close: () => socket.close() };
}
