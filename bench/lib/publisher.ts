// A publisher process: sends camera events to MQTT, NATS core or JetStream, as fast as it can or at a set rate.
import mqtt from 'mqtt';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { childArgs, onStop, toParent } from './child.ts';
import { cameras, message, nowStamp } from './events.ts';

export interface PublisherArgs {
  transport: 'mqtt' | 'nats' | 'jetstream';
  url: string;
  qos?: 0 | 1;
  /** Messages to send (at most). */
  messages: number;
  perMessage: number;
  /** Messages per second; 0: as fast as the client takes them. */
  rate: number;
  /** Prefix of every event id: runs never collide on the dedup key. */
  run: string;
}

export type PublisherOut = { type: 'ready' } | { type: 'done'; sent: number; ms: number };

const args = childArgs<PublisherArgs>();
const cams = await cameras();
const separator = args.transport === 'mqtt' ? '/' : '.';
// Publishes one message; resolves at once while the client has room, otherwise once it has.
let publish: (topic: string, payload: string) => Promise<void> | void;
let finish: () => Promise<void>;

// mqtt.js and nats.js both slow down badly with tens of thousands outstanding: keep a bounded window.
const WINDOW = 1000;
let outstanding = 0;
let wake: (() => void) | null = null;
const settled = (): void => {
  outstanding--;
  if (wake && outstanding <= WINDOW / 2) {
    const w = wake;
    wake = null;
    w();
  }
};
const room = (): Promise<void> | void =>
  outstanding < WINDOW
    ? undefined
    : new Promise<void>((r) => {
        wake = r;
      });

switch (args.transport) {
  case 'mqtt': {
    const client = await mqtt.connectAsync(args.url, {
      clientId: `bench-pub-${process.pid}`,
      clean: true,
      reconnectPeriod: 0,
    });
    const qos = args.qos ?? 0;
    publish = (topic, payload) => {
      outstanding++;
      client.publish(topic, payload, { qos }, settled);
      return room();
    };
    finish = async () => {
      while (outstanding > 0) await new Promise((r) => setTimeout(r, 5));
      await client.endAsync();
    };
    break;
  }
  case 'nats': {
    const nc = await connect({ servers: args.url, name: 'bench-publisher' });
    let since = 0;
    publish = (topic, payload) => {
      nc.publish(topic, payload);
      // A flush every few thousand messages keeps the client's outbound buffer bounded.
      if (++since >= 2000) {
        since = 0;
        return nc.flush();
      }
    };
    finish = async () => {
      await nc.flush();
      await nc.drain();
    };
    break;
  }
  case 'jetstream': {
    const nc = await connect({ servers: args.url, name: 'bench-publisher' });
    const js = jetstream(nc);
    publish = (topic, payload) => {
      outstanding++;
      js.publish(topic, payload).then(settled, (err: unknown) => {
        settled();
        console.error(`jetstream publish: ${(err as Error).message}`);
      });
      return room();
    };
    finish = async () => {
      while (outstanding > 0) await new Promise((r) => setTimeout(r, 5));
      await nc.drain();
    };
    break;
  }
}

let stopped = false;
onStop(() => {
  stopped = true;
});
toParent({ type: 'ready' });
await new Promise<void>((resolve) =>
  process.on('message', (m) => {
    if ((m as { type?: string }).type === 'go') resolve();
  }),
);

const started = performance.now();
let sent = 0;
let stamp = nowStamp();
let stampAt = Date.now();
if (args.rate <= 0) {
  while (sent < args.messages && !stopped) {
    if ((sent & 1023) === 0) {
      stamp = nowStamp();
    }
    const m = message(args.run, sent, args.perMessage, stamp, cams, separator);
    sent++;
    const wait = publish(m.topic, m.payload);
    if (wait) await wait;
  }
} else {
  // Paced: every 5 ms, catch up with where the rate says the count should be.
  while (sent < args.messages && !stopped) {
    const due = Math.min(args.messages, Math.floor(((performance.now() - started) / 1000) * args.rate));
    while (sent < due) {
      const now = Date.now();
      if (now !== stampAt) {
        stamp = nowStamp(now);
        stampAt = now;
      }
      const m = message(args.run, sent, args.perMessage, stamp, cams, separator);
      sent++;
      const wait = publish(m.topic, m.payload);
      if (wait) await wait;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
await finish();
toParent({ type: 'done', sent, ms: performance.now() - started });
process.exit(0);
