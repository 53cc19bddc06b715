// NATS connector: core subscriptions on city.<family>.>, or a JetStream durable pull consumer.
import type { Source } from '../source.ts';
import { NatsSourceConfig } from './config.ts';
import { CoreNatsSource } from './core.ts';
import { JetStreamSource } from './jetstream.ts';

export { AckTracker, type Delivery } from './ack-tracker.ts';
export { NatsSourceConfig } from './config.ts';
export { CoreNatsSource } from './core.ts';
export { JetStreamSource } from './jetstream.ts';

export function createNatsSource(config: NatsSourceConfig): Source {
  return NatsSourceConfig.parse(config).mode === 'core' ? new CoreNatsSource(config) : new JetStreamSource(config);
}
