// Saved queries promoted to a page: the socket.io namespace /queries and its messages, validated like every other event.
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { socketAuth } from './auth.ts';

export const tileResultSchema = z.object({
  name: z.string(),
  title: z.object({ vi: z.string(), en: z.string() }),
  unit: z.string().nullable(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
  at: z.string(),
  error: z.string().nullable(),
});
export type TileResult = z.infer<typeof tileResultSchema>;
export const queriesListSchema = z.object({ names: z.array(z.string()) });

export interface QueryFeed { close(): void }

/**
 * Listens to /queries; it shares the page's socket.io connection (same origin, same manager), so a wall holds
 * one websocket whatever it shows.
 */
export function connectQueries(on: { list(names: string[]): void; result(r: TileResult): void }): QueryFeed {
  const socket: Socket = io('/queries', { auth: socketAuth, reconnection: true, reconnectionDelayMax: 10_000 });
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
