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
 * Listens to /queries; it shares the page's socket.io connection (same origin, same manager), so a wall holds
 * one websocket whatever it shows.
 */
export function connectQueries(on: { list(names: string[]): void; result(r: TileResult): void }): QueryFeed {
  const socket: Socket<QueriesServerToClientEvents> = io(QUERIES_NAMESPACE, {
    auth: socketAuth,
    reconnection: true,
    reconnectionDelayMax: 10_000,
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
