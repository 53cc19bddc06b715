// The NATS connector's settings: the city's server, and how the engine reads it (a JetStream consumer, or core).
import { z } from 'zod';
import { int, urls } from '../../engine/config-fields.ts';

const name = (what: string) => z.string().regex(/^[^.*>\s]+$/, `must be a ${what} name: no spaces, dots, * or >`);

export const NatsSettings = z.object({
  natsUrl: urls(['nats:', 'tls:'])
    .optional()
    .describe(
      "the city's NATS server (`nats://host:4222`, credentials as `nats://user:pass@…`), or a cluster's servers separated by commas (the client fails over between them); set: NATS sources are on",
    ),
  natsReplicas: int(1, 5)
    .default(1)
    .describe(
      'replicas of the streams the engine creates (3 in a 3-node cluster); streams that exist are left as they are',
    ),
  natsMode: z
    .enum(['jetstream', 'core'])
    .default('jetstream')
    .describe(
      '`jetstream`: a durable pull consumer, acknowledged after the commit (nothing lost); `core`: subscriptions on `city.<family>.>` (at most once)',
    ),
  natsStream: name('stream').default('CITY').describe('the stream, created on `city.>` when missing'),
  natsConsumer: name('consumer').optional().meta({
    description: 'the durable consumer, created when missing; one engine per consumer name',
    shownDefault: '`ioc-<REPLICA>`, or `ioc-engine`',
  }),
  natsMaxInFlight: int(1, 1_000_000)
    .default(20_000)
    .describe(
      'NATS messages delivered and not yet committed: past it the engine pulls no more (core: drops and counts)',
    ),
  natsAckWaitMs: int(1000, 3_600_000)
    .default(30_000)
    .describe('a consumer created by the engine gets this ack wait: what a crashed engine held comes again after it'),
});
