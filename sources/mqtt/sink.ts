// Publishes to an MQTT broker at QoS 1 (the broker keeps it for subscribers with a persistent session).
import mqtt, { type MqttClient } from 'mqtt';
import type { Sink } from '../sink.ts';

export async function createMqttSink(
  url: string,
  clientId: string,
  auth: { username?: string | undefined; password?: string | undefined } = {},
): Promise<Sink> {
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId,
    clean: true,
    reconnectPeriod: 1000,
    username: auth.username,
    password: auth.password,
  });
  return {
    name: 'mqtt',
    async send(topic, payload) {
      await client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
    },
    async close() {
      await client.endAsync();
    },
  };
}
