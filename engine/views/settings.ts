// The indicator tick's settings: how often dirty windows are recomputed, at most and at least.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const TickSettings = z.object({
  tickMs: int(50, 60_000)
    .default(1000)
    .describe(
      'longest time between two ticks (a commit asks for one sooner), and so how late a rolling view shows a hop that has begun',
    ),
  recomputeMs: int(0, 3_600_000)
    .default(1000)
    .describe(
      'how often views that recompute their windows from the raw events (VN_AQI, the snapshot views, `flood_alert`: `views.recomputed` in `/api/health`) refresh; folded views follow every commit',
    ),
  recomputeBudgetPct: int(0, 100)
    .default(5)
    .describe(
      'the largest share of one core (in %) those recomputes may take: one that took longer waits longer before the next (a 250 ms recompute and 5: every 5 s at most; 0: every `RECOMPUTE_MS` whatever it costs)',
    ),
  tickMinMs: int(0, 60_000)
    .default(250)
    .describe('shortest time between the starts of two ticks, so busy ingestion is not starved by them'),
});
