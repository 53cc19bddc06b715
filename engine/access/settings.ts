// Access control's settings: whether tokens are required, and what one token may ask for.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const AccessSettings = z.object({
  auth: z.enum(['on', 'off']).optional().meta({
    description:
      '`on`: every route but the pages, health and the open-data portal (`/open/`) needs a bearer token, and so do the live feed and the embedded MQTT broker; `off` on a non-loopback `HOST` stops start-up',
    shownDefault: 'off on loopback, on elsewhere',
  }),
  rateLimit: int(1, 1_000_000).default(100).describe('requests per second each token may make (then `429`)'),
  rateBurst: int(1, 1_000_000).default(200).describe('the burst of requests a token may save up'),
  maxSocketClients: int(1, 100_000).default(1000).describe('live clients (walls, consoles) at once'),
  sqlPerToken: int(1, 64).default(1).describe('analyst queries one token may have running at once (then `429`)'),
});
