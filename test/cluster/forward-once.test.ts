// The alert ledger on a private NATS server: two replicas that both believe they lead (a paused process whose lease
// moved) send each change once between them, and a change claimed by a leader that died before sending is sent by the
// next one once the claim is an orphan.
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../engine/alerts/index.ts';
import { forwardOnce, type Forwarder } from '../../engine/cluster/forward-once.ts';
import type { Role } from '../../engine/cluster/lease.ts';
import { createLogger } from '../../engine/log.ts';
import { until } from '../support/engine.ts';
import { startNatsCluster, type NatsCluster } from '../support/nats-cluster.ts';

const log = createLogger('silent');
let cluster: NatsCluster | undefined;
const conns: NatsConnection[] = [];
const forwarders: Forwarder[] = [];

beforeAll(async () => {
  cluster = await startNatsCluster({ nodes: 1, mqtt: false });
  if (!cluster) throw new Error('nats-server is missing: apt-get install -y nats-server');
  await cluster.ready();
}, 60_000);
afterAll(async () => {
  for (const f of forwarders) await f.stop();
  for (const c of conns) await c.close();
  await cluster?.stop();
});

const opened = (id: string): AlertEvent =>
  ({ type: 'opened', alert: { id, severity: 'warning', area: 'hoan_kiem' } }) as AlertEvent;

/** A replica's ledger that leads (or not) as the test says, and what it sent. */
async function replica(role: Role, orphanMs?: number) {
  const nc = await connect({ servers: cluster!.urls });
  conns.push(nc);
  const sent: string[] = [];
  /** When each change was handed to the sinks (epoch ms). */
  const sentAt: number[] = [];
  const lease = { role, onChange: () => undefined };
  const forwarder = await forwardOnce(
    nc,
    lease,
    { replicas: 1, ...(orphanMs ? { orphanMs } : {}) },
    async (events) => {
      for (const n of events) {
        if (n.on !== 'alert') continue;
        sent.push(`${n.event.alert.id}.${n.event.type}`);
        sentAt.push(Date.now());
      }
    },
    log,
  );
  forwarders.push(forwarder);
  return { forwarder, sent, sentAt };
}

describe('the alert ledger', () => {
  it('has two replicas that both believe they lead send each change once between them', async () => {
    const [a, b] = [await replica('leader'), await replica('leader')];
    const changes = Array.from({ length: 40 }, (_, i) => ({ on: 'alert' as const, event: opened(`a-both-${i}`) }));
    // Both offer every change in the same turn, before either could read what the other recorded.
    a.forwarder.offer(changes);
    b.forwarder.offer(changes);
    await until(
      () => a.sent.length + b.sent.length,
      (n) => n >= changes.length,
      20_000,
    );
    await until(
      () => a.forwarder.stats().pending + b.forwarder.stats().pending,
      (n) => n === 0,
      20_000,
    );
    const all = [...a.sent, ...b.sent].sort();
    expect(all).toEqual(changes.map((c) => `${c.event.alert.id}.opened`).sort());
  });

  it('sends a change whose claim was never marked sent once the claim is an orphan, and only then', async () => {
    const nc = await connect({ servers: cluster!.urls });
    conns.push(nc);
    // A leader claimed the change and died before sending it: the claim is an orphan 1.5 s after it was stored.
    const claimedBy = Date.now();
    await jetstream(nc).publish('ioc.forwarded', 'claim a-orphan.opened', { msgID: 'claim a-orphan.opened 0' });
    // Whether or not it has read the claim yet, the next leader's own claim of the change is refused as a duplicate.
    const next = await replica('leader', 1500);
    next.forwarder.offer([{ on: 'alert', event: opened('a-orphan') }]);
    await until(
      () => next.sent.length,
      (n) => n >= 1,
      10_000,
    );
    expect(next.sentAt[0]! - claimedBy).toBeGreaterThanOrEqual(1500);
    await new Promise((r) => setTimeout(r, 2000));
    expect(next.sent).toEqual(['a-orphan.opened']);
  });
});
