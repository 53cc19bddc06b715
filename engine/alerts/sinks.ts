// Opens the alert sinks the configuration asks for: the engine's MQTT broker, NATS, a webhook.
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { createWebhookSink } from '../../sources/http/webhook.ts';
import { createMqttSink } from '../../sources/mqtt/sink.ts';
import { createNatsSink } from '../../sources/nats/sink.ts';
import type { Forwarding } from './forward.ts';

export interface SinkLogin { username?: string | undefined; password?: string | undefined }

/** `mqttLogin`: the engine's own MQTT credentials (with AUTH on, the embedded broker admits nobody else to the alert topic). */
export async function alertSinks(config: Config, mqttUrl: string, mqttLogin: SinkLogin = { username: config.mqttUsername, password: config.mqttPassword }): Promise<Forwarding[]> {
  const out: Forwarding[] = [];
  if (config.alertMqttTopic) out.push({ sink: await createMqttSink(mqttUrl, `${config.mqttClientId}-alerts`, mqttLogin), prefix: config.alertMqttTopic, separator: '/' });
  if (config.alertNatsSubject) {
    if (!config.natsUrl) throw new ConfigError(['ALERT_NATS_SUBJECT is set but NATS_URL is not: alerts need a NATS server to go to']);
    out.push({ sink: await createNatsSink(config.natsUrl), prefix: config.alertNatsSubject, separator: '.' });
  }
  if (config.alertWebhookUrl) out.push({ sink: createWebhookSink(config.alertWebhookUrl), prefix: '', separator: '' });
  return out;
}
