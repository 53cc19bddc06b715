// Replays into an MQTT broker at QoS 1 on city/<family>/<device>, as a device would.
import mqtt from 'mqtt';
import { Outstanding } from './outstanding.ts';
import { deviceOf, type Target } from './target.ts';

export async function openMqttTarget(url: string): Promise<Target> {
  const client = await mqtt
    .connectAsync(url, {
      clientId: `ioc-replay-${process.pid}`,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    })
    .catch((err: Error) => {
      throw new Error(`cannot reach the MQTT broker at ${url}: ${err.message}`);
    });
  // Enough outstanding to keep the link busy, few enough not to collapse the client's throughput.
  const outstanding = new Outstanding(500);
  let sent = 0;
  return {
    label: url.replace(/\/\/[^@/]*@/, '//'),
    async send(family, event) {
      await outstanding.add(
        client.publishAsync(`city/${family}/${deviceOf(family, event)}`, JSON.stringify(event), { qos: 1 }),
      );
      sent++;
    },
    async finish() {
      await outstanding.drain();
      return { sent };
    },
    close: async () => {
      await client.endAsync();
    },
  };
}
