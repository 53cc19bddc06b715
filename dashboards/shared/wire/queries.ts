// The socket.io namespace /queries: saved queries promoted to the wall, re-run each tick while a wall listens.
import { z } from 'zod';
import { bilingualSchema } from './fields.ts';

export const QUERIES_NAMESPACE = '/queries';

/** One promoted query's latest answer: a headline or a few rows, or the error it met. */
export const tileResultSchema = z.object({
  name: z.string(),
  title: bilingualSchema,
  unit: z.string().nullable(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
  at: z.string(),
  error: z.string().nullable(),
});
export type TileResult = z.infer<typeof tileResultSchema>;

/** The promoted queries' names, sent on connect: a tile whose name is gone is removed. */
export const queriesListSchema = z.object({ names: z.array(z.string()) });
type QueriesList = z.infer<typeof queriesListSchema>;

export interface QueriesServerToClientEvents {
  queries: (list: QueriesList) => void;
  query: (result: TileResult) => void;
}
