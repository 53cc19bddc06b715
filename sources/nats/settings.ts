// The NATS connector's settings: the city's server, and how the engine reads it (a JetStream consumer, or core).
import { z } from 'zod';
import { int, url } from '../../engine/config-fields.ts';

const name = (what: string) => z.string().regex(/^[^.*>\s]+$/, `must be a ${what} name: no spaces, dots, * or >`);

export const NatsSettings = z.object({
  natsUrl: url(['nats:', 'tls:'])
    .optional()
    .describe(
      "the city's NATS server (`nats://host:4222`, credentials as `nats://user:pass@…`); set: NATS sources are on",
    ),
  natsMode: z
    .enum(['jetstream', 'core'])
    .default('jetstream')
    .describe(
      '`jetstream`: a durable pull consumer, acknowledged after the commit (nothing lost); `core`: subscriptions on `city.<family>.>` (at most once)',
    ),
  natsStream: name('stream').default('CITY').describe('the stream, created on `city.>` when missing'),
  natsConsumer: name('consumer')
    .default('ioc-engine')
    .describe('the durable consumer, created when missing; one engine per consumer name'),
  natsMaxInFlight: int(1, 1_000_000)
    .default(20_000)
    .describe(
      'NATS messages delivered and not yet committed: past it the engine pulls no more (core: drops and counts)',
    ),
  natsAckWaitMs: int(1000, 3_600_000)
    .default(30_000)
    .describe('a consumer created by the engine gets this ack wait: what a crashed engine held comes again after it'),
});
