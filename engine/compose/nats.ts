// The engine's NATS source: a JetStream consumer of its own (`ioc-<REPLICA>` on a cluster) or core subscriptions.
import { createNatsSource } from '../../sources/nats/index.ts';
import type { RawMessage, Source } from '../../sources/source.ts';
import { consumerName } from '../cluster/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export async function openNats(config: Config, ingest: (msg: RawMessage) => unknown, log: Logger): Promise<Source> {
  const nats = createNatsSource({
    url: config.natsUrl!,
    mode: config.natsMode,
    stream: config.natsStream,
    consumer: consumerName(config),
    streamReplicas: config.natsReplicas,
    subjects: ['city.>'],
    maxInFlight: config.natsMaxInFlight,
    maxInFlightBytes: config.maxInFlightBytes,
    ackWaitMs: config.natsAckWaitMs,
  });
  await nats.start((msg) => void ingest(msg));
  log.info('NATS source started', {
    mode: config.natsMode,
    ...(config.natsMode === 'jetstream' ? { stream: config.natsStream, consumer: consumerName(config) } : {}),
  });
  return nats;
}
