// Two replicas as processes on one JetStream: people's changes made on one are served by the other within 2 s, and a
// webhook receives each alert change exactly once while the leader is killed (kill -9) and comes back.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startAlertHook, type AlertHook } from '../support/alert-hook.ts';
import { until } from '../support/engine.ts';
import { EngineProcess } from '../support/engine-process.ts';
import { sensor } from '../support/events.ts';

let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let js: JetStreamClient;
let hook: AlertHook | undefined;
const dir = mkdtempSync(join(tmpdir(), 'ioc-failover-'));
const replicas = new Map<string, { proc: EngineProcess; url: string; env: Record<string, string> }>();

beforeAll(async () => {
  broker = await privateNats();
  if (!broker) return;
  nc = await connect({ servers: broker.url });
  js = jetstream(nc);
  hook = await startAlertHook();
});
afterAll(async () => {
  for (const r of replicas.values()) await r.proc.kill9();
  await nc?.close();
  await broker?.stop();
  hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startReplica(name: string): Promise<void> {
  const known = replicas.get(name);
  const port = known ? Number(new URL(known.url).port) : await freePort();
  const env = known?.env ?? {
    REPLICA: name,
    NATS_URL: broker!.url,
    LEADER_TTL_MS: '2000',
    ALERT_WEBHOOK_URL: hook!.url,
    PORT: String(port),
    DATA_DIR: join(dir, name),
    SIMULATE: '0',
    LOG_LEVEL: 'warn',
    TICK_MS: '200',
  };
  const proc = new EngineProcess(env);
  await proc.start();
  replicas.set(name, { proc, url: `http://127.0.0.1:${port}`, env });
}

async function call(name: string, path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(replicas.get(name)!.url + path, {
    ...init,
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.json() };
}

const health = async (name: string) => (await call(name, '/api/health')).body.replica;

async function rain(id: string, area: string): Promise<void> {
  const reading = sensor(1, 'weather', { id, ts: new Date().toISOString(), area, metrics: { rainfallMm: 95 } });
  await js.publish(`city.sensor.gauge-${area}`, JSON.stringify(reading));
}

async function alertOf(name: string, area: string): Promise<{ id: string; status: string } | undefined> {
  const r = await call(name, `/api/alerts?rule=heavy_rain&area=${area}`).catch(() => null);
  return r?.body.alerts?.[0];
}

describe('replicas fail over', () => {
  it('share people changes and forward every alert change once across a leader kill -9', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    await startReplica('a');
    await startReplica('b');
    for (const n of ['a', 'b'])
      await until(
        () => call(n, '/api/ready'),
        (r) => r.status === 200,
        20_000,
      );

    // A saved query put on one replica is served by the other within 2 s, as it was stored.
    const put = await call('a', '/api/queries/flood_watch', {
      method: 'PUT',
      body: JSON.stringify({ sql: 'SELECT 1 AS x', title: { vi: 'Theo dõi ngập', en: 'Flood watch' } }),
    });
    expect(put.status).toBe(200);
    const began = Date.now();
    const copy = await until(
      () => call('b', '/api/queries/flood_watch'),
      (r) => r.status === 200,
      2000,
    );
    expect(Date.now() - began).toBeLessThan(2000);
    expect(copy.body).toEqual(put.body);

    // An alert both replicas open has one id; the webhook hears of it once.
    await rain('fo-1', 'tay_ho');
    const first = await until(
      async () => [await alertOf('a', 'tay_ho'), await alertOf('b', 'tay_ho')],
      (p) => !!p[0] && !!p[1],
      15_000,
    );
    expect(first[1]!.id).toBe(first[0]!.id);
    const alertId = first[0]!.id;
    await until(
      () => hook!.received.get(`${alertId}.opened`),
      (n) => n === 1,
      10_000,
    );

    // Kill the leader; a change made meanwhile on the other (an acknowledgement) and an alert opened meanwhile are
    // forwarded once by the new leader.
    const leader = (await health('a')).leader as string;
    const other = leader === 'a' ? 'b' : 'a';
    await replicas.get(leader)!.proc.kill9();
    const ack = await call(other, `/api/alerts/${alertId}/ack`, { method: 'POST', body: '{}' });
    expect(ack.status).toBe(200);
    await rain('fo-2', 'ba_dinh');
    const second = await until(
      () => alertOf(other, 'ba_dinh'),
      (a) => !!a,
      15_000,
    );
    await until(
      () => [hook!.received.get(`${alertId}.acknowledged`), hook!.received.get(`${second!.id}.opened`)],
      (n) => n[0] === 1 && n[1] === 1,
      15_000,
    );
    expect((await health(other)).role).toBe('leader');

    // The killed replica comes back, catches up with the stream and the commands, and forwards nothing again.
    await startReplica(leader);
    await until(
      () => call(leader, '/api/ready'),
      (r) => r.status === 200,
      20_000,
    );
    const back = await alertOf(leader, 'tay_ho');
    expect(back).toMatchObject({ id: alertId, status: 'acknowledged' });
    const caught = await until(
      () => alertOf(leader, 'ba_dinh'),
      (a) => !!a,
      10_000,
    );
    expect(caught!.id).toBe(second!.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect([...hook!.received.values()].every((n) => n === 1)).toBe(true);
    expect([...hook!.received.keys()].sort()).toEqual(
      [`${alertId}.opened`, `${alertId}.acknowledged`, `${second!.id}.opened`].sort(),
    );
  }, 120_000);

  it('takes tokens made and revoked by `ioc token` through the command stream, on every replica', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server') || replicas.size < 2) return ctx.skip();
    const ioc = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [ioc, 'token', ...args], {
        env: { ...process.env, REPLICA: 'a', NATS_URL: broker!.url, DATA_DIR: join(dir, 'cli') },
      });
    const made = await run('create', '--role', 'analyst', '--name', 'ana');
    expect(made.stdout.trim()).toMatch(/^ioc_[\w-]{43}$/);
    const tokensOf = (name: string) =>
      (
        JSON.parse(readFileSync(join(dir, name, 'tokens.json'), 'utf8')) as {
          tokens: { name: string; revokedAt: string | null }[];
        }
      ).tokens;
    for (const n of ['a', 'b'])
      await until(
        () => {
          try {
            return tokensOf(n);
          } catch {
            return [];
          }
        },
        (t) => t.some((x) => x.name === 'ana' && x.revokedAt === null),
        5000,
      );
    await run('revoke', 'ana');
    for (const n of ['a', 'b'])
      await until(
        () => tokensOf(n),
        (t) => t.some((x) => x.name === 'ana' && x.revokedAt !== null),
        5000,
      );
  }, 60_000);
});
