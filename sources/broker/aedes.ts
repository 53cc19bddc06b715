// The embedded MQTT broker for a machine with none: aedes on MQTT_PORT, loopback by default.
//
// It keeps its queues in memory, in the engine's own process: what it has acknowledged to a device and the
// engine has not committed yet is gone if the process dies. It is the demo's broker; the promise that nothing
// is lost needs Mosquitto with .ci/mosquitto.conf, or NATS JetStream (see the README).
import { createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { BrokerGate, ClientRights } from './gate.ts';

/** MQTT_CLIENT_ID may be up to 128 characters (MQTT 3.1.1 brokers often stop at 23); longer ones are refused. */
const MAX_CLIENT_ID_LENGTH = 128;

/** Limits set on purpose rather than inherited, each bounding what one client can make the broker hold. */
const EMBEDDED_BROKER_OPTIONS: AedesOptions = {
  // aedes applies this to MQTT 3.1 clients only; `authenticate` below holds 3.1.1 clients to it too.
  maxClientsIdLength: MAX_CLIENT_ID_LENGTH,
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

export interface EmbeddedBroker {
  url: string;
  port: number;
  broker: Aedes;
  close(): Promise<void>;
}

export interface BrokerAccess {
  /** When set (and no `gate`), every client must connect with this username and password. */
  username?: string | undefined;
  password?: string | undefined;
  /** Topic filters devices may publish to (MQTT wildcards); others are refused. Unset: any topic. */
  publishTopics?: readonly string[] | undefined;
  /** When set, it alone decides who connects and what each client may publish and subscribe to (AUTH=on). */
  gate?: BrokerGate | undefined;
}

type AuthDone = Parameters<NonNullable<AedesOptions['authenticate']>>[3];
/** A refusal the client can act on: the CONNACK carries `returnCode` (2 identifier rejected, 4 bad credentials, 5 not authorized). */
const refuse = (done: AuthDone, returnCode: number, reason: string): void => {
  done(Object.assign(new Error(reason), { returnCode }) as never, false);
};

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

export async function startEmbeddedBroker(
  opts: { port: number; host: string } & BrokerAccess,
): Promise<EmbeddedBroker> {
  const { gate } = opts;
  const rightsOf = new WeakMap<Client, ClientRights>();
  /** With a gate, a client without rights (or whose credential was revoked since) may do nothing. */
  const rights = (client: Client | null): ClientRights | null => {
    const r = client ? rightsOf.get(client) : undefined;
    return r && r.stillValid() ? r : null;
  };
  const broker = await Aedes.createBroker({
    ...EMBEDDED_BROKER_OPTIONS,
    authenticate: (client, username, password, done) => {
      if (client.id.length > MAX_CLIENT_ID_LENGTH)
        return refuse(done, 2, `client id longer than ${MAX_CLIENT_ID_LENGTH} characters`);
      if (gate) {
        const verdict = gate.connect(username, password);
        if (verdict.type === 'refused') return refuse(done, verdict.returnCode, verdict.reason);
        rightsOf.set(client, verdict.rights);
        return done(null, true);
      }
      if (opts.username === undefined) return done(null, true);
      const ok =
        username === opts.username && password !== undefined && Buffer.from(password).toString() === opts.password;
      if (ok) return done(null, true);
      refuse(done, 4, 'bad user name or password');
    },
    authorizePublish: (client, packet, done) => {
      // MQTT 3.1.1 has no way to refuse one publish: the client is disconnected, as for MQTT_PUBLISH_TOPICS.
      if (gate && client && !rights(client)?.mayPublish(packet.topic))
        return done(new Error(`${rightsOf.get(client)?.name ?? 'this client'} may not publish to ${packet.topic}`));
      if (!opts.publishTopics || opts.publishTopics.some((f) => topicMatches(f, packet.topic))) return done(null);
      done(new Error(`publishing to ${packet.topic} is not allowed (MQTT_PUBLISH_TOPICS)`));
    },
    authorizeSubscribe: (client, sub, done) => {
      // A null subscription is a failure in the SUBACK (0x80): the client stays connected and learns it was refused.
      if (gate && !rights(client)?.maySubscribe(sub.topic)) return done(null, null);
      done(null, sub);
    },
  });
  // Clients whose rights can lapse, so a revocation disconnects them rather than waiting for their next packet.
  const gated = new Set<Client>();
  broker.on('clientReady', (client) => {
    if (!rightsOf.has(client)) return;
    if (!rights(client)) return client.close();
    gated.add(client);
  });
  broker.on('clientDisconnect', (client) => {
    gated.delete(client);
  });
  const unwatch = gate?.watch(() => {
    for (const client of gated) if (!rights(client)) client.close();
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      unwatch?.();
      broker.close();
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `MQTT_PORT ${opts.port} is in use (another MQTT broker?): set MQTT_URL=mqtt://${opts.host}:${opts.port} to use that broker, or MQTT_PORT to a free port for the embedded one`,
            )
          : err,
      );
    });
    server.listen(opts.port, opts.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `mqtt://${opts.host}:${port}`,
    port,
    broker,
    close: () =>
      new Promise<void>((resolve) => {
        unwatch?.();
        server.close(() => resolve());
        broker.close();
      }),
  };
}
