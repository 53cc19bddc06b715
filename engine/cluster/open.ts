// Joins the engine to its cluster (REPLICA set): a NATS connection of its own for the leader lease and the ledger of
// forwarded alerts. Alone, the engine leads and forwards everything itself: the same calls, one code path.
import type { NatsConnection } from '@nats-io/transport-node';
import { NatsSourceConfig } from '../../sources/nats/config.ts';
import { openConnection } from '../../sources/nats/connect.ts';
import { whileElecting } from '../../sources/nats/elections.ts';
import type { Notice } from '../alerts/index.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { forwardAlone, forwardOnce, type Forwarder } from './forward-once.ts';
import { LeaderLease, type Role } from './lease.ts';

export interface Cluster {
  /** This replica's name (`engine` when alone). */
  name: string;
  /** The NATS connection shared by the cluster's parts (null when alone). */
  nc: NatsConnection | null;
  role(): Role;
  leader(): string | null;
  forwarder: Forwarder;
  close(): Promise<void>;
}

/** The durable consumer: NATS_CONSUMER, else one per replica, else the single engine's. */
export function consumerName(config: Config): string {
  return config.natsConsumer ?? (config.replica ? `ioc-${config.replica}` : 'ioc-engine');
}

/** Refuses a replica that cannot be one: it reads the cluster's stream, so it needs NATS with JetStream. */
export function checkReplicaConfig(config: Config): void {
  if (!config.replica) return;
  const problems: string[] = [];
  if (!config.natsUrl) problems.push(`REPLICA=${config.replica}: a replica reads the cluster's stream; set NATS_URL`);
  if (config.natsMode !== 'jetstream')
    problems.push(`REPLICA=${config.replica}: NATS_MODE=core keeps nothing to catch up from; use jetstream`);
  if (problems.length > 0) throw new ConfigError(problems);
}

export async function openCluster(
  config: Config,
  send: (events: readonly Notice[]) => Promise<void>,
  log: Logger,
): Promise<Cluster> {
  if (!config.replica || !config.natsUrl) {
    const name = config.replica ?? 'engine';
    return {
      name,
      nc: null,
      role: () => 'leader',
      leader: () => name,
      forwarder: forwardAlone(send),
      close: async () => undefined,
    };
  }
  const name = config.replica;
  const { nc } = await openConnection(NatsSourceConfig.parse({ url: config.natsUrl, name: `ioc-${name}-cluster` }));
  try {
    const lease = new LeaderLease(nc, { replica: name, ttlMs: config.leaderTtlMs, replicas: config.natsReplicas }, log);
    await whileElecting(() => lease.start());
    const forwarder = await whileElecting(() => forwardOnce(nc, lease, { replicas: config.natsReplicas }, send, log));
    return {
      name,
      nc,
      role: () => lease.role,
      leader: () => lease.holder,
      forwarder,
      async close() {
        await forwarder.stop();
        await lease.stop();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
}
