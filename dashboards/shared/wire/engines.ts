// GET /api/engines: the replicas a wall may fail over between (the ENGINES setting), as base URLs.
import { z } from 'zod';

export const enginesSchema = z.object({ engines: z.array(z.string()) });
export type Engines = z.infer<typeof enginesSchema>;
