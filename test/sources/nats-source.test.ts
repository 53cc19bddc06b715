// The NATS connector against the shared source contract (JetStream and core, on the real nats-server), plus what is
// JetStream's own: the stream and consumer it creates, the ack floor under out-of-order commits and after a crash,
// gaps in the stream, an operator's explicit-ack consumer, and pulling no more than the engine can hold.
import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreNatsSource, JetStreamSource } from '../../sources/nats/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { freePort, nats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { sleep, sourceContract, text, until, type ContractTarget, type Namespace } from './contract.ts';

const ACK_WAIT_MS = 3000;
let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;
const streams: string[] = [];

async function server(): Promise<boolean> {
  if (!nc) {
    broker = await nats();
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return false;
    nc = await connect({ servers: broker!.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
  }
  return true;
}
afterAll(async () => {
  for (const s of streams) await jsm?.streams.delete(s).catch(() => undefined);
  await nc?.close();
  await broker?.stop();
});

/** A private corner of the shared server: its own stream name and subjects, so concurrent runs never meet. */
function corner(): { stream: string; prefix: string } {
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  const stream = `T_${tag}`;
  streams.push(stream);
  return { stream, prefix: `t${tag}` };
}

function jetStreamOf(stream: string, prefix: string, over: Record<string, unknown> = {}): JetStreamSource {
  return new JetStreamSource({
    url: broker!.url,
    stream,
    streamSubjects: [`${prefix}.>`],
    filterSubject: `${prefix}.>`,
    consumer: 'engine',
    ackWaitMs: ACK_WAIT_MS,
    pullExpiresMs: 1000,
    ...over,
  });
}

const unreachable = async () => {
  const port = await freePort();
  return {
    source: new JetStreamSource({ url: `nats://127.0.0.1:${port}` }),
    says: new RegExp(`127\\.0\\.0\\.1:${port}.*NATS_URL`),
  };
};

sourceContract('NATS JetStream (durable pull consumer)', async () => {
  if (!(await server())) return undefined;
  return {
    durable: true,
    redeliveryMs: ACK_WAIT_MS,
    async namespace(): Promise<Namespace> {
      const { stream, prefix } = corner();
      return {
        make: () => jetStreamOf(stream, prefix),
        publish: async (family, device, payload) => {
          await js.publish(`${prefix}.${family}.${device}`, payload);
        },
        topic: (family, device) => `${prefix}.${family}.${device}`,
        dispose: async () => {
          await jsm.streams.delete(stream).catch(() => undefined);
        },
      };
    },
    unreachable,
  } satisfies ContractTarget;
});

sourceContract('NATS core (subscriptions)', async () => {
  if (!(await server())) return undefined;
  return {
    durable: false,
    redeliveryMs: 0,
    async namespace(): Promise<Namespace> {
      const { prefix } = corner();
      return {
        make: () => new CoreNatsSource({ url: broker!.url, subjects: [`${prefix}.>`] }),
        publish: async (family, device, payload) => {
          nc.publish(`${prefix}.${family}.${device}`, payload);
          await nc.flush();
        },
        topic: (family, device) => `${prefix}.${family}.${device}`,
        dispose: async () => undefined,
      };
    },
    async unreachable() {
      const port = await freePort();
      return {
        source: new CoreNatsSource({ url: `nats://127.0.0.1:${port}` }),
        says: new RegExp(`127\\.0\\.0\\.1:${port}.*NATS_URL`),
      };
    },
  } satisfies ContractTarget;
});

describe('JetStream source', () => {
  let ok = false;
  beforeAll(async () => {
    ok = await server();
  });
  const publish = async (prefix: string, n: number, from = 0): Promise<void> => {
    await Promise.all(Array.from({ length: n }, (_, i) => js.publish(`${prefix}.camera.c${from + i}`, `e${from + i}`)));
  };
  const ackFloor = async (stream: string): Promise<number> =>
    (await jsm.consumers.info(stream, 'engine')).ack_floor.stream_seq;

  it('creates the stream and a durable AckAll pull consumer when missing, with the configured names', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    const source = jetStreamOf(stream, prefix, { maxInFlight: 500 });
    await source.start(() => undefined);
    const s = await jsm.streams.info(stream);
    expect(s.config).toMatchObject({ subjects: [`${prefix}.>`], storage: 'file', retention: 'limits', discard: 'old' });
    const c = await jsm.consumers.info(stream, 'engine');
    expect(c.config).toMatchObject({
      durable_name: 'engine',
      ack_policy: 'all',
      max_ack_pending: 1000,
      ack_wait: ACK_WAIT_MS * 1_000_000,
    });
    // The filter is the stream's one subject: left out, it selects the same messages and the server serves it faster.
    expect(c.config.filter_subject ?? '').toBe('');
    await source.stop();
    // A second start finds both and keeps them.
    const again = jetStreamOf(stream, prefix);
    await again.start(() => undefined);
    await again.stop();
    expect((await jsm.consumers.info(stream, 'engine')).config.max_ack_pending).toBe(1000);
  });

  it("says which setting to change when the stream cannot be created over another stream's subjects", async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    const other = `${stream}_B`;
    const source = jetStreamOf(other, prefix);
    await expect(source.start(() => undefined)).rejects.toThrow(/NATS_STREAM/);
  });

  /** A source of its own corner of the server, and the ten messages it was delivered, none acknowledged yet. */
  const tenDelivered = async () => {
    const { stream, prefix } = corner();
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix);
    await source.start((m) => got.push(m));
    await publish(prefix, 10);
    await until(() => got.length === 10);
    return { stream, source, got };
  };

  it('acknowledges nothing past a sequence whose batch has not committed, then everything at once', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, source, got } = await tenDelivered();
    // The later five commit first, as when an earlier batch failed and waits for its retry.
    for (const m of got.slice(5)) m.ack();
    await sleep(300);
    expect(await ackFloor(stream)).toBe(0);
    expect(source.stats().unacknowledged).toBe(10);
    for (const m of got.slice(0, 5)) m.ack();
    await until(() => source.stats().unacknowledged === 0);
    await sleep(200);
    expect(await ackFloor(stream)).toBe(10);
    expect((await jsm.consumers.info(stream, 'engine')).num_ack_pending).toBe(0);
    await source.stop();
  });

  it('acknowledges a backlog however many times some of it came (the server keeps the floor)', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, source, got } = await tenDelivered();
    // Nothing commits within the ack wait: all ten come a second time, with newer delivery sequences.
    await until(() => got.length >= 20, ACK_WAIT_MS + 5000, 'second deliveries');
    // A batch commits the ten and the first five of their second deliveries (the rest wait for the next batch): those
    // five, recent deliveries of early sequences, must not make the server drop the acknowledgement of the floor.
    for (const m of got.slice(0, 15)) m.ack();
    await sleep(300);
    expect(await ackFloor(stream)).toBe(10);
    const before = got.length;
    await sleep(ACK_WAIT_MS + 500);
    expect(got.length, 'deliveries after the commit').toBe(before);
    for (const m of got.slice(15)) m.ack();
    await source.stop();
  });

  it("after a crash, holds its acknowledgements until the dead run's messages come back and commit", async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    // The first run receives 1..10 and dies without acknowledging (its connection just closes).
    const dead = await connect({ servers: broker!.url });
    const consumerSource = jetStreamOf(stream, prefix);
    await consumerSource.start(() => undefined);
    await consumerSource.stop();
    await publish(prefix, 10);
    const c = await jetstream(dead).consumers.get(stream, 'engine');
    const batch = await c.fetch({ max_messages: 10, expires: 2000 });
    let n = 0;
    for await (const _ of batch) n++;
    expect(n).toBe(10);
    await dead.close();
    // The next run gets the new ones first; the dead run's ten come after the ack wait.
    await publish(prefix, 10, 10);
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix);
    await source.start((m) => {
      got.push(m);
      m.ack();
    });
    // Held past the ack wait, some of the new ones come again too: what counts is that all twenty arrive.
    await until(() => new Set(got.map(text)).size === 20, ACK_WAIT_MS + 10_000, 'all 20 delivered');
    await until(() => source.stats().unacknowledged === 0, 5000, 'all acknowledged');
    await sleep(300);
    expect(await ackFloor(stream)).toBe(20);
    await source.stop();
  });

  it('acknowledges past messages outside its filter or deleted from the stream', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    // The stream holds more than the engine reads: every other sequence is someone else's, and one is deleted.
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    for (let i = 0; i < 6; i++) {
      await js.publish(`${prefix}.other.x`, `o${i}`);
      await js.publish(`${prefix}.city.camera.c${i}`, `e${i}`);
    }
    await jsm.streams.deleteMessage(stream, 6);
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix, { filterSubject: `${prefix}.city.>` });
    await source.start((m) => {
      got.push(m);
      m.ack();
    });
    await until(() => got.length === 5);
    await until(() => source.stats().unacknowledged === 0, 5000, 'floor past the gaps');
    await sleep(200);
    expect(await ackFloor(stream)).toBe(12);
    await source.stop();
  });

  it('asks the server about a sequence it cannot account for (a delivery taken by another client)', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    for (const subject of ['city.camera.a', 'city.camera.b', 'other.x', 'city.camera.c'])
      await js.publish(`${prefix}.${subject}`, subject);
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix, { filterSubject: `${prefix}.city.>`, maxInFlight: 1, pullBatch: 1 });
    await source.start((m) => got.push(m));
    await until(() => got.length === 1);
    // While the engine holds its one message, another client takes the next delivery and never acknowledges it:
    // the delivery sequences the engine sees now skip one, so it cannot tell that sequence 3 is another filter's.
    const thief = await connect({ servers: broker!.url });
    for await (const _ of await (
      await jetstream(thief).consumers.get(stream, 'engine')
    ).fetch({ max_messages: 1, expires: 2000 })) {
      /* taken */
    }
    await thief.close();
    const acking = setInterval(() => {
      for (const m of got.splice(0)) m.ack();
    }, 10);
    // 4 comes at once, 2 after the ack wait; the floor then waits at 3 until the server says it is not the engine's.
    await until(
      () => source.stats().unacknowledged === 0 && source.stats().inFlight === 0,
      ACK_WAIT_MS + 8000,
      'floor past the unknown sequence',
    );
    clearInterval(acking);
    await sleep(200);
    expect(await ackFloor(stream)).toBe(4);
    await source.stop();
  });

  it("acknowledges each message under an operator's explicit-ack consumer", async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    await jsm.consumers.add(stream, {
      durable_name: 'engine',
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${prefix}.>`,
    });
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix);
    await source.start((m) => got.push(m));
    await publish(prefix, 6);
    await until(() => got.length === 6);
    got[5]!.ack();
    got[0]!.ack();
    await sleep(300);
    const info = await jsm.consumers.info(stream, 'engine');
    expect(info.num_ack_pending).toBe(4);
    expect(info.ack_floor.stream_seq).toBe(1);
    await source.stop();
  });

  it('pulls no more than maxInFlight messages while they wait for their commit', async (ctx) => {
    if (!ok) return ctx.skip();
    const { stream, prefix } = corner();
    const got: RawMessage[] = [];
    let peak = 0;
    const source = jetStreamOf(stream, prefix, { maxInFlight: 100, pullBatch: 40 });
    await source.start((m) => {
      got.push(m);
      peak = Math.max(peak, source.stats().inFlight);
    });
    await publish(prefix, 1000);
    await until(() => got.length >= 80);
    await sleep(500);
    expect(got.length).toBeLessThanOrEqual(100);
    expect((await jsm.consumers.info(stream, 'engine')).num_pending).toBeGreaterThanOrEqual(900);
    // Committing makes room, a pull at a time, until all are in.
    let seen = 0;
    const drain = setInterval(() => {
      const now = got.splice(0);
      seen += now.length;
      for (const m of now) m.ack();
    }, 10);
    await until(() => seen === 1000, 15_000, 'all 1000 delivered');
    clearInterval(drain);
    expect(peak).toBeLessThanOrEqual(100);
    await until(() => source.stats().lag === 0, 3000, 'lag reported as 0');
    await source.stop();
  });
});

describe('JetStream source, bounded in bytes', () => {
  it('pulls no more than NATS_MAX_IN_FLIGHT_BYTES of payload waiting for their commit', async (ctx) => {
    if (!(await server())) return ctx.skip();
    const { stream, prefix } = corner();
    const got: RawMessage[] = [];
    const source = jetStreamOf(stream, prefix, { maxInFlightBytes: 2 * 1024 * 1024 });
    await source.start((m) => got.push(m));
    const big = 'x'.repeat(100 * 1024);
    await Promise.all(Array.from({ length: 100 }, (_, i) => js.publish(`${prefix}.camera.c${i}`, big)));
    await until(() => got.length >= 15);
    await sleep(500);
    const held = source.stats();
    expect(held.inFlightBytes).toBeGreaterThan(1.5 * 1024 * 1024);
    expect(held.inFlightBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(got.length).toBeLessThan(100);
    let seen = 0;
    const drain = setInterval(() => {
      const now = got.splice(0);
      seen += now.length;
      for (const m of now) m.ack();
    }, 10);
    await until(() => seen === 100, 10_000, 'all 100 delivered');
    clearInterval(drain);
    expect(source.stats().inFlightBytes).toBe(0);
    await source.stop();
  });
});

describe('core NATS source', () => {
  it('drops and counts what arrives past maxInFlight (core NATS keeps nothing for a slow consumer)', async (ctx) => {
    if (!(await server())) return ctx.skip();
    const { prefix } = corner();
    const got: RawMessage[] = [];
    const source = new CoreNatsSource({ url: broker!.url, subjects: [`${prefix}.>`], maxInFlight: 10 });
    await source.start((m) => got.push(m));
    for (let i = 0; i < 25; i++) nc.publish(`${prefix}.camera.c${i}`, `e${i}`);
    await nc.flush();
    await until(() => source.stats().dropped === 15);
    expect(got).toHaveLength(10);
    for (const m of got) m.ack();
    nc.publish(`${prefix}.camera.late`, 'late');
    await until(() => got.length === 11);
    await source.stop();
  });
});
