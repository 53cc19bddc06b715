// Publishes to a NATS subject (a JetStream stream bound to it keeps the messages).
import type { Sink } from '../sink.ts';
import { NatsSourceConfig } from './config.ts';
import { openConnection } from './connect.ts';

export async function createNatsSink(url: string): Promise<Sink> {
  const { nc } = await openConnection(NatsSourceConfig.parse({ url, name: 'ioc-engine-alerts' }));
  return {
    name: 'nats',
    async send(subject, payload) {
      nc.publish(subject, payload);
      await nc.flush();
    },
    async close() {
      await nc.drain();
    },
  };
}
