// The alert sinks the configuration asks for, opened by the composition root: the alerts folder knows only the sink
// interface, never a connector.
import type { Forwarding } from '../alerts/index.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { createWebhookSink } from '../../sources/http/webhook.ts';
import { createMqttSink } from '../../sources/mqtt/sink.ts';
import { createNatsSink } from '../../sources/nats/sink.ts';

/**
 * The alert sinks the configuration asks for: the engine's MQTT broker, NATS, a webhook. `mqttLogin`: the engine's own
 * MQTT credentials (with AUTH on, the embedded broker admits nobody else to the alert topic).
 */
export async function openAlertSinks(
  config: Config,
  mqttUrl: string | null,
  mqttLogin: { username?: string | undefined; password?: string | undefined },
): Promise<Forwarding[]> {
  const out: Forwarding[] = [];
  if (config.alertMqttTopic) {
    if (!mqttUrl)
      throw new ConfigError([
        "ALERT_MQTT_TOPIC is set but this replica has no MQTT broker: set MQTT_URL (the cluster's MQTT listener)",
      ]);
    out.push({
      sink: await createMqttSink(mqttUrl, `${config.mqttClientId}-alerts`, mqttLogin),
      prefix: config.alertMqttTopic,
      separator: '/',
    });
  }
  if (config.alertNatsSubject) {
    if (!config.natsUrl)
      throw new ConfigError(['ALERT_NATS_SUBJECT is set but NATS_URL is not: alerts need a NATS server to go to']);
    out.push({ sink: await createNatsSink(config.natsUrl), prefix: config.alertNatsSubject, separator: '.' });
  }
  if (config.alertWebhookUrl) out.push({ sink: createWebhookSink(config.alertWebhookUrl), prefix: '', separator: '' });
  return out;
}
