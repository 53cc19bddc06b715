// The Hanoi simulator's settings: whether it runs, how fast, from which seed.
import { z } from 'zod';
import { flag, int } from '../../engine/config-fields.ts';

export const SimulateSettings = z.object({
  simulate: flag.default(true).describe('run the Hanoi simulator (`0` to turn it off)'),
  simRate: z.coerce.number().min(0).max(1_000_000).default(200).describe('simulator events per second'),
  simBackfillH: int(0, 168)
    .default(24)
    .describe(
      'hours of simulated history written at start when the simulator runs and the database holds no events, so the wall, trends, playback and briefings are full at once (`0`: none; never on a cluster replica)',
    ),
  simSeed: int(0, 2 ** 31)
    .default(1010)
    .describe("the simulator's seed: the same seed, the same city"),
});
