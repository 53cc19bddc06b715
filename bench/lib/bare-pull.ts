// The ceiling of reading a JetStream stream: a durable consumer that pulls and acknowledges (AckAll, once per pull),
// with no decoding and no store.
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Seconds to pull and acknowledge `messages` messages of `stream` from its start. */
export async function barePull(nc: NatsConnection, stream: string, messages: number): Promise<number> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, { durable_name: 'bare', ack_policy: AckPolicy.All, max_ack_pending: 40_000 });
  const bare = await jetstream(nc).consumers.get(stream, 'bare');
  const t = performance.now();
  for (let got = 0; got < messages;) {
    let last: { ack(): void } | null = null;
    for await (const m of await bare.fetch({ max_messages: 1000, expires: 2000 })) {
      got++;
      last = m;
    }
    last?.ack();
  }
  return (performance.now() - t) / 1000;
}
