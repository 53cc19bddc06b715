// The contract every connector keeps, run against each (MQTT on Mosquitto and the embedded broker, NATS core and
// JetStream): messages arrive with their topic, the stream is not throttled by held acknowledgements, pause() stops
// delivery while acks still go out, and on a durable broker what was never acknowledged comes again after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawMessage, Source } from '../../sources/source.ts';

/** One isolated namespace on a broker: its own topics, session or consumer. */
export interface Namespace {
  /** A source for this namespace; every call gives the same identity (MQTT session, JetStream consumer). */
  make(): Source;
  /** Publishes one message as a device would, on the family's topic for `device`. */
  publish(family: string, device: string, payload: string): Promise<void>;
  /** The wire topic the source reports for (family, device). */
  topic(family: string, device: string): string;
  dispose(): Promise<void>;
}

export interface ContractTarget {
  /** The broker keeps unacknowledged and offline messages and sends them again (MQTT QoS 1, JetStream). */
  durable: boolean;
  /** How long a redelivery may take after a restart (JetStream waits for the ack wait). */
  redeliveryMs: number;
  /** A fresh namespace, or undefined when the broker is missing (the tests are skipped). */
  namespace(): Promise<Namespace | undefined>;
  /** A source pointed at a port nothing listens on, and what its start-up error must say. */
  unreachable(): Promise<{ source: Source; says: RegExp }>;
  teardown?(): Promise<void>;
}

export const text = (m: RawMessage): string => new TextDecoder().decode(m.payload);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(20);
  }
}

export function sourceContract(name: string, target: () => Promise<ContractTarget | undefined>): void {
  describe(`source contract: ${name}`, () => {
    let t: ContractTarget | undefined;
    const spaces: Namespace[] = [];
    const open = async (): Promise<Namespace | undefined> => {
      const ns = await t?.namespace();
      if (ns) spaces.push(ns);
      return ns;
    };
    beforeAll(async () => {
      t = await target();
    });
    afterAll(async () => {
      for (const ns of spaces) await ns.dispose().catch(() => undefined);
      await t?.teardown?.();
    });

    it('delivers each message once, with its topic and the source name, without waiting for acks', async (ctx) => {
      const ns = await open();
      if (!ns) return ctx.skip();
      const got: RawMessage[] = [];
      const source = ns.make();
      await source.start((m) => got.push(m));
      expect(source.status()).toMatchObject({ type: 'connected' });
      for (let i = 0; i < 50; i++) await ns.publish(i % 2 ? 'camera' : 'sensor', `d${i}`, `m${i}`);
      // None is acknowledged: all 50 still arrive, so held acknowledgements do not throttle the stream.
      await until(() => got.length === 50, 10_000, '50 deliveries');
      await sleep(200);
      expect(got).toHaveLength(50);
      expect(got.map(text).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());
      const first = got.find((m) => text(m) === 'm1')!;
      expect(first.topic).toBe(ns.topic('camera', 'd1'));
      expect(first.source).toBe(source.name);
      expect(first.receivedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(source.stats?.().inFlight).toBe(50);
      for (const m of got) m.ack();
      expect(source.stats?.().inFlight).toBe(0);
      await source.stop();
      expect(source.status()).toMatchObject({ type: 'closed' });
    });

    it('after pause() delivers nothing more, yet acknowledgements still reach the broker', async (ctx) => {
      const ns = await open();
      if (!ns) return ctx.skip();
      const got: RawMessage[] = [];
      let source = ns.make();
      await source.start((m) => got.push(m));
      for (let i = 0; i < 10; i++) await ns.publish('service', `a${i}`, `p${i}`);
      await until(() => got.length === 10, 10_000, '10 deliveries');
      await source.pause?.();
      for (let i = 10; i < 15; i++) await ns.publish('service', `a${i}`, `p${i}`);
      await sleep(300);
      expect(got).toHaveLength(10);
      for (const m of got) m.ack();
      await source.stop();
      if (!t!.durable) return;
      // The ten acknowledged after the pause are not sent again; the five published meanwhile are.
      const again: RawMessage[] = [];
      source = ns.make();
      await source.start((m) => {
        again.push(m);
        m.ack();
      });
      await until(() => again.length >= 5, t!.redeliveryMs + 5000, '5 redeliveries');
      await sleep(t!.redeliveryMs + 300);
      await source.stop();
      expect(again.map(text).sort()).toEqual(['p10', 'p11', 'p12', 'p13', 'p14']);
    });

    it('redelivers what was never acknowledged after a restart, and nothing that was', async (ctx) => {
      const ns = await open();
      if (!ns || !t!.durable) return ctx.skip();
      const got: RawMessage[] = [];
      let source = ns.make();
      await source.start((m) => got.push(m));
      for (let i = 0; i < 50; i++) await ns.publish('camera', `c${i}`, `m${i}`);
      await until(() => got.length === 50, 10_000, '50 deliveries');
      for (const m of got.slice(0, 20)) m.ack();
      await sleep(200);
      await source.stop();

      const again: RawMessage[] = [];
      source = ns.make();
      await source.start((m) => again.push(m));
      // An unacknowledged message may come twice (its acknowledgement wait can run out again on a slow runner before
      // the thirty are in): what counts is which ones come, every unacknowledged one and none of the others.
      const distinct = () => [...new Set(again.map(text))].sort();
      await until(() => distinct().length >= 30, t!.redeliveryMs + 5000, '30 redeliveries');
      expect(distinct()).toEqual(got.slice(20).map(text).sort());
      for (const m of again) m.ack();
      await sleep(200);
      // Where the second run stood when it stopped: a failure below then says whether its acknowledgements were held.
      const second = JSON.stringify({
        received: again.length,
        position: source.position?.() ?? null,
        stats: source.stats?.() ?? null,
      });
      await source.stop();

      const third: RawMessage[] = [];
      source = ns.make();
      await source.start((m) => third.push(m));
      await sleep(t!.redeliveryMs + 500);
      await source.stop();
      expect(third.map(text), `the second run at its stop: ${second}`).toEqual([]);
    });

    it('delivers what was published while the engine was away', async (ctx) => {
      const ns = await open();
      if (!ns || !t!.durable) return ctx.skip();
      let source = ns.make();
      await source.start(() => undefined);
      await source.stop();
      for (let i = 0; i < 10; i++) await ns.publish('sensor', `s${i}`, `away${i}`);
      const got: RawMessage[] = [];
      source = ns.make();
      await source.start((m) => {
        got.push(m);
        m.ack();
      });
      await until(() => got.length === 10, 10_000, '10 deliveries');
      expect(got.map(text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `away${i}`).sort());
      expect(got.map((m) => m.topic)).toContain(ns.topic('sensor', 's3'));
      await source.stop();
    });

    it('fails to start with an error naming the URL and the setting when the broker is unreachable', async (ctx) => {
      if (!t) return ctx.skip();
      const { source, says } = await t.unreachable();
      const started = Date.now();
      await expect(source.start(() => undefined)).rejects.toThrow(says);
      expect(Date.now() - started).toBeLessThan(12_000);
    }, 15_000);
  });
}
