// A private NATS JetStream cluster for a test: real nats-server processes routed on loopback, with MQTT listeners.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { natsClientUrl, natsNodeConfig, natsUrlList, type NatsNode } from '../../bin/cluster/nats-config.ts';
import { waitForCluster } from '../../bin/cluster/ready.ts';
import { BrokerProcess } from './broker-process.ts';
import { freePort } from './ports.ts';

const NATS_BIN = '/usr/sbin/nats-server';
const HOST = '127.0.0.1';

export interface ClusterNode extends NatsNode {
  /** nats://127.0.0.1:<clientPort> */
  url: string;
  logFile: string;
  pidFile: string;
}

export interface NatsCluster {
  nodes: readonly ClusterNode[];
  /** Every node's client URL, comma-separated: what `NATS_URL` takes. */
  urls: string;
  /** Each node's MQTT listener (empty when started with `mqtt: false`). */
  mqttPorts: readonly number[];
  /**
   * Resolves once every node is up, JetStream has a meta leader, a stream replicated on every node (at most 3)
   * can be created, every existing stream and consumer has a leader (after a restart they elect one each),
   * and each MQTT listener accepts a session. Throws after `timeoutMs` with the nodes' log tails.
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Ends node `i` with `signal` (SIGKILL: a crash, nothing flushed) and waits until it is gone; a no-op while it is down. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts node `i` again with the same ports and store dir. */
  restart(i: number): Promise<void>;
  /** Ends every node and removes their files. */
  stop(): Promise<void>;
}

/** Starts `nodes` clustered nats-servers; undefined when nats-server is not installed. */
export async function startNatsCluster({ nodes = 3, mqtt: withMqtt = true } = {}): Promise<NatsCluster | undefined> {
  if (!existsSync(NATS_BIN)) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-nats-cluster-'));
  const ports = await distinctFreePorts(nodes * 3);
  const layout = Array.from({ length: nodes }, (_, i): ClusterNode => {
    const home = path.join(dir, `n${i + 1}`);
    const node = {
      name: `n${i + 1}`,
      host: HOST,
      clientPort: ports[i * 3]!,
      clusterPort: ports[i * 3 + 1]!,
      mqttPort: withMqtt ? ports[i * 3 + 2]! : undefined,
      storeDir: path.join(home, 'store'),
      logFile: path.join(home, 'nats-server.log'),
      pidFile: path.join(home, 'nats-server.pid'),
    };
    return { ...node, url: natsClientUrl(node) };
  });
  const procs = await Promise.all(
    layout.map(async (node, i) => {
      await mkdir(path.dirname(node.logFile), { recursive: true });
      const conf = path.join(path.dirname(node.logFile), 'nats-server.conf');
      await writeFile(conf, natsNodeConfig(layout, i));
      return new BrokerProcess(`nats-server ${node.name}`, [NATS_BIN, '-c', conf], node.logFile);
    }),
  );
  const at = (i: number): [ClusterNode, BrokerProcess] => {
    const node = layout[i];
    const proc = procs[i];
    if (!node || !proc) throw new RangeError(`no node ${i} in a cluster of ${nodes}`);
    return [node, proc];
  };
  const down = new Set<number>();
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Together: each node's routes retry until its peers listen.
    await Promise.all(procs.map((p, i) => p.start(at(i)[0].clientPort)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes: layout,
    urls: natsUrlList(layout),
    mqttPorts: layout.flatMap((n) => (n.mqttPort === undefined ? [] : [n.mqttPort])),
    ready: (timeoutMs = 20_000) =>
      waitForCluster({
        urls: layout.map((n) => n.url),
        mqtt: layout.flatMap((n) => (n.mqttPort === undefined ? [] : [n.mqttPort])),
        logFiles: layout.map((n) => n.logFile),
        timeoutMs,
      }),
    async kill(i, signal = 'SIGKILL') {
      const [node, proc] = at(i);
      // The pid file outlives a killed server, and its number may be another process's by now.
      if (down.has(i)) return;
      down.add(i);
      const pid = Number.parseInt(await readFile(node.pidFile, 'utf8'), 10);
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await sleep(20);
      await proc.stop();
    },
    async restart(i) {
      const [node, proc] = at(i);
      await proc.stop();
      await proc.start(node.clientPort);
      down.delete(i);
    },
    stop,
  };
}

// freePort() may hand out a port twice in a row once it has been released.
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
