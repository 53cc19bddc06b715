// Saved queries promoted to a page: the socket.io namespace /queries and its messages, validated like every other event.
import { io, type Socket } from 'socket.io-client';
import { socketAuth } from './auth.ts';
import { PAGE_ENGINE } from './engines.ts';
import { pageSocket } from './page-socket.ts';
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
  engine: string = PAGE_ENGINE,
): QueryFeed {
  type QueriesSocket = Socket<QueriesServerToClientEvents>;
  // On the page's engine, the live feed's connection, which comes back when the feed does.
  const socket: QueriesSocket =
    engine === PAGE_ENGINE
      ? pageSocket<QueriesSocket>(QUERIES_NAMESPACE).connect()
      : io(`${engine}${QUERIES_NAMESPACE}`, {
          auth: socketAuth,
          reconnection: true,
          reconnectionDelayMax: 10_000,
          transports: ['websocket', 'polling'],
        });
  const onList = (payload: unknown): void => {
    const parsed = queriesListSchema.safeParse(payload);
    if (parsed.success) on.list(parsed.data.names);
  };
  const onResult = (payload: unknown): void => {
    const parsed = tileResultSchema.safeParse(payload);
    if (parsed.success) on.result(parsed.data);
    else console.warn(`dropped an invalid query event: ${parsed.error.issues[0]?.message ?? ''}`);
  };
  socket.on('queries', onList);
  socket.on('query', onResult);
  return {
    // The page's socket is made once and taken again on coming back: it must not keep this feed's handlers.
    close: () => {
      socket.off('queries', onList);
      socket.off('query', onResult);
      socket.close();
    },
  };
}
