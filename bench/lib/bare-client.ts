// The transport's ceiling: a client that receives the same messages as the engine and does nothing with them.
import mqtt from 'mqtt';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { childArgs, onStop, toParent } from './child.ts';

export interface BareArgs {
  transport: 'mqtt' | 'nats' | 'jetstream';
  url: string;
  qos?: 0 | 1;
  /** JetStream: the stream to read with a durable consumer of this name. */
  stream?: string;
  consumer?: string;
}

export type BareOut = { type: 'ready' } | { type: 'count'; messages: number; firstAt: number; lastAt: number };

const args = childArgs<BareArgs>();
let messages = 0;
let firstAt = 0;
let lastAt = 0;
const seen = (): void => {
  if (messages++ === 0) firstAt = performance.now() + performance.timeOrigin;
  lastAt = performance.now();
};
let close: () => Promise<void> = async () => undefined;

switch (args.transport) {
  case 'mqtt': {
    // The engine's own session settings: MQTT 5, a persistent session, a receive maximum of 20,000.
    const client = await mqtt.connectAsync(args.url, {
      clientId: `bench-bare-${process.pid}`,
      clean: false,
      protocolVersion: 5,
      reconnectPeriod: 0,
      properties: { receiveMaximum: 20_000, sessionExpiryInterval: 0 },
    });
    client.on('message', seen);
    await client.subscribeAsync(['city/camera/#', 'city/sensor/#', 'city/service/#'], { qos: args.qos ?? 1 });
    close = () => client.endAsync();
    break;
  }
  case 'nats': {
    const nc = await connect({ servers: args.url, name: 'bench-bare' });
    nc.subscribe('city.>', { callback: seen });
    await nc.flush();
    close = () => nc.drain();
    break;
  }
  case 'jetstream': {
    const nc = await connect({ servers: args.url, name: 'bench-bare' });
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(args.stream!, {
      durable_name: args.consumer!,
      ack_policy: AckPolicy.All,
      max_ack_pending: 40_000,
    });
    const consumer = await jetstream(nc).consumers.get(args.stream!, args.consumer!);
    // The library's fastest way to read a stream: pulls kept ahead of the reader; one acknowledgement covers a thousand.
    const it = await consumer.consume({ max_messages: 1000 });
    void (async () => {
      let last: JsMsg | null = null;
      for await (const m of it) {
        seen();
        last = m;
        if (messages % 1000 === 0) {
          m.ack();
          last = null;
        }
      }
      last?.ack();
    })();
    close = async () => {
      await it.close();
      await nc.drain();
    };
    break;
  }
}

onStop(() => close());
toParent({ type: 'ready' });
// The parent asks for the count whenever it wants; lastAt travels as epoch ms.
process.on('message', (m) => {
  if ((m as { type?: string }).type === 'count') {
    toParent({ type: 'count', messages, firstAt, lastAt: lastAt + performance.timeOrigin });
  }
});
