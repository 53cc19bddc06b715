// Settings of an engine that runs as one replica of several, all consuming the same replicated NATS stream.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const ClusterSettings = z.object({
  replica: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a name of letters, digits, - and _ (at most 64)')
    .optional()
    .describe(
      'runs the engine as this replica of a cluster: its consumer is `ioc-<name>`, it needs `NATS_URL` (JetStream) and starts no embedded MQTT broker (devices publish to the cluster)',
    ),
  readyMaxLag: int(0, 100_000_000)
    .default(5000)
    .describe('`/api/ready` answers 200 once the stream messages this replica has not committed are at most this many'),
  leaderTtlMs: int(1000, 600_000)
    .default(6000)
    .describe(
      "the leader's lease in the NATS KV bucket `ioc-leader`: past it without renewal another replica takes over forwarding",
    ),
});
