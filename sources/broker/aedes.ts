// The embedded MQTT broker for a machine with none: aedes on MQTT_PORT, loopback by default.
//
// It keeps its queues in memory, in the engine's own process: what it has acknowledged to a device and the
// engine has not committed yet is gone if the process dies. It is the demo's broker; the promise that nothing
// is lost needs Mosquitto with .ci/mosquitto.conf, or NATS JetStream (see the README).
import { createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';

/** Limits set on purpose rather than inherited, each bounding what one client can make the broker hold. */
export const EMBEDDED_BROKER_OPTIONS: AedesOptions = {
  // MQTT_CLIENT_ID may be up to 128 characters; MQTT 3.1.1's 23 would refuse longer ones at connect.
  maxClientsIdLength: 128,
  // Packets a client may send before its CONNECT is handled.
  queueLimit: 42,
  // QoS 2 publishes of one client waiting for their PUBREL.
  maxInflightInbound: 1000,
  // Deliveries in progress at once, across subscribers.
  concurrency: 100,
  // A subscriber whose socket stays full this long is disconnected, so a frozen one cannot hold the others'
  // deliveries (the engine, holding its window while DuckDB is slow, reconnects and gets its messages again).
  drainTimeout: 60_000,
  connectTimeout: 10_000,
  maxTopicLevels: 16,
};

export interface EmbeddedBroker { url: string; port: number; broker: Aedes; close(): Promise<void> }

export interface BrokerAccess {
  /** When set, every client must connect with this username and password. */
  username?: string | undefined;
  password?: string | undefined;
  /** Topic filters devices may publish to (MQTT wildcards); others are refused. Unset: any topic. */
  publishTopics?: readonly string[] | undefined;
}

/** Does `topic` match the MQTT filter (`+` one level, `#` the rest)? */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

export async function startEmbeddedBroker(opts: { port: number; host: string } & BrokerAccess): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({
    ...EMBEDDED_BROKER_OPTIONS,
    authenticate: (_client, username, password, done) => {
      if (opts.username === undefined) return done(null, true);
      const ok = username === opts.username && password !== undefined && Buffer.from(password).toString() === opts.password;
      if (ok) return done(null, true);
      // 4: bad user name or password, the CONNACK code a device can act on.
      done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }) as never, false);
    },
    authorizePublish: (_client, packet, done) => {
      if (!opts.publishTopics || opts.publishTopics.some((f) => topicMatches(f, packet.topic))) return done(null);
      done(new Error(`publishing to ${packet.topic} is not allowed (MQTT_PUBLISH_TOPICS)`));
    },
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      broker.close();
      reject(err.code === 'EADDRINUSE'
        ? new Error(`MQTT_PORT ${opts.port} is in use (another MQTT broker?): set MQTT_URL=mqtt://${opts.host}:${opts.port} to use that broker, or MQTT_PORT to a free port for the embedded one`)
        : err);
    });
    server.listen(opts.port, opts.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `mqtt://${opts.host}:${port}`, port, broker,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      broker.close();
    }),
  };
}
