// Waits until a NATS cluster is usable: JetStream has a meta leader, every stream a leader, MQTT accepts sessions.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import mqtt from 'mqtt';

export interface ClusterProbe {
  /** Client URLs of every node. */
  urls: readonly string[];
  /** The MQTT listeners, `host:port` or a port on 127.0.0.1. */
  mqtt: readonly (string | number)[];
  /** Node log files, whose last lines the error shows. */
  logFiles: readonly string[];
  timeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until every check passes; after `timeoutMs` throws with the last failure and the tail of each node's log. */
export async function waitForCluster(probe: ClusterProbe): Promise<void> {
  const replicas = Math.min(3, probe.urls.length);
  const deadline = Date.now() + probe.timeoutMs;
  let last: unknown;
  let nc: NatsConnection | undefined;
  try {
    for (;;) {
      try {
        nc ??= await connect({ servers: [...probe.urls], timeout: 2_000 });
        const conn = nc;
        // Each call has its own timeout (2 s); this bound keeps an attempt that stalls anyway from outliving the deadline
        // by more than a few seconds, while letting a last attempt fail with its own reason.
        await bounded(
          (async () => {
            await canReplicate(conn, replicas);
            await everyStreamLed(conn);
            for (const listener of probe.mqtt) await mqttSession(listener);
          })(),
          Math.max(5_000, deadline - Date.now()),
        );
        return;
      } catch (error) {
        last = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(250);
    }
  } finally {
    await nc?.close().catch(() => undefined);
  }
  const logs = await Promise.all(
    probe.logFiles.map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => '(no log yet)');
      return `--- ${file}\n${text.trim().split('\n').slice(-8).join('\n')}`;
    }),
  );
  throw new Error(
    `NATS cluster not ready within ${probe.timeoutMs} ms (it needs a JetStream meta leader, an R${replicas} stream, a ` +
      `leader for every stream and consumer, and an MQTT session on every listener); last failure: ${String(last)}\nnode logs:\n${logs.join('\n')}`,
  );
}

async function bounded(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`an attempt took more than ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // its failure after the deadline is not news
  try {
    await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function canReplicate(nc: NatsConnection, replicas: number): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: 2_000 });
  const id = randomUUID().slice(0, 8);
  const name = `IOC_READY_${id}`;
  await jsm.streams.add({ name, subjects: [`ioc.ready.${id}`], num_replicas: replicas, storage: StorageType.Memory });
  await jsm.streams.delete(name);
}

// After a restart each stream and consumer elects its own leader, seconds after the cluster's: until then, an engine
// reading one is told that JetStream is "temporarily unavailable".
async function everyStreamLed(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: 2_000 });
  for await (const stream of jsm.streams.list()) {
    const name = stream.config.name;
    if (stream.cluster && !stream.cluster.leader) throw new Error(`stream ${name} has no leader yet`);
    for await (const consumer of jsm.consumers.list(name))
      if (consumer.cluster && !consumer.cluster.leader)
        throw new Error(`consumer ${consumer.name} of stream ${name} has no leader yet`);
  }
}

// A listener's first session makes it create its own JetStream streams: better here than on a device's first publish.
async function mqttSession(listener: string | number): Promise<void> {
  const address = typeof listener === 'number' ? `127.0.0.1:${listener}` : listener;
  const client = await mqtt.connectAsync(
    `mqtt://${address}`,
    {
      clientId: `ioc-ready-${randomUUID().slice(0, 8)}`,
      clean: true,
      connectTimeout: 3_000,
      reconnectPeriod: 0,
    },
    false,
  );
  await client.endAsync();
}
