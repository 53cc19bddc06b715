// The internals of zod and mqtt that the engine reaches into, checked shape by shape: an upgrade that moves them fails
// here with the file that relies on them, before the engine silently loses its fast path or its held acknowledgements.
// Both packages are pinned exactly in package.json for that reason; this also fails when a pin loosens.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAMILIES, FAMILY_DEFS } from '../../engine/schema/index.ts';
import { compileFastCheck } from '../../engine/schema/fast-check.ts';
import { mosquitto, requireOrSkip } from '../support/brokers.ts';

const FAST_CHECK = "engine/schema/fast-check.ts reads zod's `_zod.def`";
const HOLD_ACKS = "sources/mqtt/source.ts (holdAcks) replaces mqtt.js's `_sendPacket` and `handleMessage`";

const pkg = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };

describe('package.json', () => {
  for (const name of ['zod', 'mqtt']) {
    it(`pins ${name} exactly, to the version installed`, () => {
      const pinned = pkg('../../package.json').dependencies[name];
      const installed = pkg(`../../node_modules/${name}/package.json`).version;
      expect(
        pinned,
        `${name} must be pinned to one exact version (no ^ or ~): the engine relies on its internals`,
      ).toMatch(/^\d+\.\d+\.\d+$/);
      expect(installed, `node_modules/${name} is not the pinned version: run npm ci`).toBe(pinned);
    });
  }
});

/** What fast-check.ts reads off a schema or a check. */
type Def = Record<string, unknown> & { type?: string; check?: string };
const def = (s: unknown): Def => {
  const internals = (s as { _zod?: { def?: Def } })._zod;
  if (!internals?.def) throw new Error(`${FAST_CHECK}, and this zod has no _zod.def: fast-check.ts must be adapted`);
  return internals.def;
};
const checks = (s: z.ZodType): Def[] => ((def(s).checks ?? []) as unknown[]).map(def);

describe(`zod internals (${FAST_CHECK})`, () => {
  it('objects: type, shape, and the catchall that tells a loose object from a strict one', () => {
    const inner = z.string();
    expect(def(z.object({ a: inner }))).toMatchObject({ type: 'object', shape: { a: inner } });
    expect(def(def(z.looseObject({})).catchall).type).toBe('unknown');
    expect(def(def(z.strictObject({})).catchall).type).toBe('never');
  });

  it('optional and default wrap an innerType; default keeps its defaultValue', () => {
    const inner = z.number();
    expect(def(inner.optional())).toMatchObject({ type: 'optional', innerType: inner });
    expect(def(inner.default(3))).toMatchObject({ type: 'default', innerType: inner, defaultValue: 3 });
  });

  it('string checks: min_length, max_length and a regex string_format', () => {
    const re = /^[a-z]+$/;
    expect(def(z.string()).type).toBe('string');
    expect(checks(z.string().min(1).max(9).regex(re))).toEqual([
      expect.objectContaining({ check: 'min_length', minimum: 1 }),
      expect.objectContaining({ check: 'max_length', maximum: 9 }),
      expect.objectContaining({ check: 'string_format', format: 'regex', pattern: re }),
    ]);
  });

  it('number checks: greater_than and less_than with inclusive, and int as a safeint number_format', () => {
    expect(def(z.number()).type).toBe('number');
    expect(checks(z.number().min(-90).max(90))).toEqual([
      expect.objectContaining({ check: 'greater_than', value: -90, inclusive: true }),
      expect.objectContaining({ check: 'less_than', value: 90, inclusive: true }),
    ]);
    expect(checks(z.number().positive())).toEqual([
      expect.objectContaining({ check: 'greater_than', value: 0, inclusive: false }),
    ]);
    expect(checks(z.number().int())).toEqual([expect.objectContaining({ check: 'number_format', format: 'safeint' })]);
  });

  it("enum entries, literal values, boolean, and a discriminated union's options and discriminator", () => {
    expect(def(z.enum(['a', 'b']))).toMatchObject({ type: 'enum', entries: { a: 'a', b: 'b' } });
    expect(def(z.literal('x'))).toMatchObject({ type: 'literal', values: ['x'] });
    expect(def(z.boolean()).type).toBe('boolean');
    const a = z.object({ kind: z.literal('a') });
    const b = z.object({ kind: z.literal('b') });
    expect(def(z.discriminatedUnion('kind', [a, b]))).toMatchObject({
      type: 'union',
      discriminator: 'kind',
      options: [a, b],
    });
  });

  it('a refine is a custom check holding its predicate as fn', () => {
    const fn = (v: unknown) => v !== 0;
    expect(checks(z.object({}).refine(fn))).toEqual([expect.objectContaining({ check: 'custom', fn })]);
  });

  it('every wire family still compiles to a fast check', () => {
    for (const f of FAMILIES) {
      expect(
        compileFastCheck(FAMILY_DEFS[f].schema),
        `${FAST_CHECK}: the ${f} schema no longer compiles, so every ${f} event takes the slow path`,
      ).not.toBeNull();
    }
  });
});

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;
interface ClientInternals {
  _sendPacket: SendPacket;
  handleMessage: (packet: IPublishPacket, cb: (err?: Error) => void) => void;
  stream: unknown;
}

describe(`mqtt.js internals (${HOLD_ACKS})`, () => {
  it('has _sendPacket(packet, cb, cbStorePut, noStore) and handleMessage(packet, callback) on the client', () => {
    const proto = mqtt.MqttClient.prototype as unknown as ClientInternals;
    expect(typeof proto._sendPacket, HOLD_ACKS).toBe('function');
    expect(proto._sendPacket.length, HOLD_ACKS).toBe(4);
    expect(typeof proto.handleMessage, HOLD_ACKS).toBe('function');
    expect(proto.handleMessage.length, HOLD_ACKS).toBe(2);
  });

  it('hands a QoS 1 message to handleMessage first, and sends its PUBACK through _sendPacket only after the callback', async (ctx) => {
    const broker = await mosquitto();
    if (!requireOrSkip('mosquitto', broker, 'mosquitto')) return ctx.skip();
    const topic = `test/internals/${randomUUID()}`;
    const client: MqttClient = await mqtt.connectAsync(broker!.url, {
      clientId: `internals-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 0,
    });
    try {
      const inner = client as unknown as ClientInternals;
      expect(inner.stream, `${HOLD_ACKS}, and reads client.stream`).toBeTruthy();
      const sent: Packet[] = [];
      const send = inner._sendPacket.bind(client);
      inner._sendPacket = (packet, cb, cbStorePut, noStore) => {
        sent.push(packet);
        send(packet, cb, cbStorePut, noStore);
      };
      const delivered = new Promise<{ packet: IPublishPacket; release: () => void }>((resolve) => {
        inner.handleMessage = (packet, cb) => resolve({ packet, release: () => cb() });
      });
      await client.subscribeAsync(topic, { qos: 1 });
      await mqtt.connectAsync(broker!.url, { reconnectPeriod: 0 }).then(async (pub) => {
        try {
          await pub.publishAsync(topic, 'x', { qos: 1 });
        } finally {
          await pub.endAsync();
        }
      });
      const { packet, release } = await delivered;
      expect(packet).toMatchObject({ cmd: 'publish', qos: 1, topic });
      const id = packet.messageId;
      expect(typeof id).toBe('number');
      const pubacks = () => sent.filter((p) => p.cmd === 'puback');
      await new Promise((r) => setTimeout(r, 100));
      expect(pubacks(), `${HOLD_ACKS}: mqtt.js acknowledged before handleMessage called back`).toEqual([]);
      release();
      await expect
        .poll(pubacks, { timeout: 5000 })
        .toEqual([expect.objectContaining({ cmd: 'puback', messageId: id })]);
    } finally {
      await client.endAsync();
      await broker!.stop();
    }
  });
});
