// The embedded MQTT broker for a machine with none: aedes on MQTT_PORT, loopback by default.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker { url: string; port: number; broker: Aedes; close(): Promise<void> }

export async function startEmbeddedBroker(opts: { port: number; host: string }): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
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
