// The indicator tick's settings: how often dirty windows are recomputed, at most and at least.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const TickSettings = z.object({
  tickMs: int(50, 60_000)
    .default(1000)
    .describe(
      'longest time between two ticks (a commit asks for one sooner), and how often views that recompute from the raw events refresh',
    ),
  tickMinMs: int(0, 60_000)
    .default(250)
    .describe('shortest time between the starts of two ticks, so busy ingestion is not starved by them'),
});
