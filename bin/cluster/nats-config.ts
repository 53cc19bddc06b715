// The nats-server configuration file of one node of a cluster on one machine: JetStream, routes, MQTT listener.

export interface NatsNode {
  /** `server_name`: unique in the cluster; JetStream in a cluster and the MQTT listener both require it. */
  name: string;
  host: string;
  clientPort: number;
  /** Where the other nodes' routes connect. */
  clusterPort: number;
  /** The MQTT listener; none when undefined. */
  mqttPort?: number | undefined;
  /** The HTTP monitoring port (`/varz`, `/jsz`); none when undefined. */
  httpPort?: number | undefined;
  /** JetStream's files; a restarted node finds its streams here. */
  storeDir: string;
  logFile?: string | undefined;
  /** Lets a supervisor signal the server itself rather than whatever started it. */
  pidFile?: string | undefined;
}

export const CLUSTER_NAME = 'ioc';

export const natsClientUrl = (node: NatsNode): string => `nats://${node.host}:${node.clientPort}`;

/** The comma-separated list an engine takes in `NATS_URL`. */
export const natsUrlList = (nodes: readonly NatsNode[]): string => nodes.map(natsClientUrl).join(',');

// Config strings use JSON's quoting, which nats-server's parser reads the same way.
const quoted = (s: string): string => JSON.stringify(s);

/** The configuration of `nodes[index]`; its routes go to every other node (a route to itself would only be dropped). */
export function natsNodeConfig(nodes: readonly NatsNode[], index: number, clusterName = CLUSTER_NAME): string {
  const node = nodes[index];
  if (!node) throw new RangeError(`no node ${index} in a cluster of ${nodes.length}`);
  const routes = nodes.filter((_, i) => i !== index).map((peer) => `nats://${peer.host}:${peer.clusterPort}`);
  const lines = [
    `server_name: ${quoted(node.name)}`,
    `listen: ${quoted(`${node.host}:${node.clientPort}`)}`,
    ...(node.httpPort === undefined ? [] : [`http: ${quoted(`${node.host}:${node.httpPort}`)}`]),
    ...(node.logFile === undefined ? [] : [`log_file: ${quoted(node.logFile)}`]),
    ...(node.pidFile === undefined ? [] : [`pid_file: ${quoted(node.pidFile)}`]),
    'jetstream {',
    `  store_dir: ${quoted(node.storeDir)}`,
    '}',
    // A lone node is a plain server: JetStream in a cluster of one would wait for peers that never come.
    ...(nodes.length === 1
      ? []
      : [
          'cluster {',
          `  name: ${quoted(clusterName)}`,
          `  listen: ${quoted(`${node.host}:${node.clusterPort}`)}`,
          `  routes: [${routes.map(quoted).join(', ')}]`,
          '}',
        ]),
    ...(node.mqttPort === undefined
      ? []
      : [
          'mqtt {',
          `  listen: ${quoted(`${node.host}:${node.mqttPort}`)}`,
          // Unset, the listener sizes its session streams by the routes it lists (2 here, without itself): an R2
          // stream stops when either node does, and MQTT with it.
          ...(nodes.length === 1 ? [] : [`  stream_replicas: ${Math.min(3, nodes.length)}`]),
          '}',
        ]),
    '',
  ];
  return lines.join('\n');
}
