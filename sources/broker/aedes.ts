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

export async function startEmbeddedBroker(opts: { port: number; host: string }): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker(EMBEDDED_BROKER_OPTIONS);
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
