// The engine's MQTT side: the embedded broker (without MQTT_URL, and never on a replica, whose devices publish to the
// cluster) and the subscription that feeds ingestion (never on a replica either: it reads everything from the stream).
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { MqttSource } from '../../sources/mqtt/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { engineMqttCredentials, mqttGate, type TokenStore } from '../access/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

export interface MqttSide {
  broker: EmbeddedBroker | null;
  source: MqttSource | null;
  /** The broker the engine listens to and forwards alerts on; null for a replica without MQTT_URL. */
  mqttUrl: string | null;
  /** The engine's own MQTT login (with AUTH on, the embedded broker admits nobody else to the alert topic). */
  mqttAuth: { username?: string | undefined; password?: string | undefined };
}

export async function openMqtt(
  config: Config,
  deps: { auth: boolean; tokens: TokenStore; ingest: (msg: RawMessage) => unknown },
  log: Logger,
): Promise<MqttSide> {
  let broker: EmbeddedBroker | null = null;
  // With AUTH on, the embedded broker admits the engine's own clients by these, and devices by their tokens.
  const mqttAuth = engineMqttCredentials(
    { username: config.mqttUsername, password: config.mqttPassword },
    deps.auth && !config.mqttUrl,
  );
  if (!config.mqttUrl && !config.replica) {
    broker = await startEmbeddedBroker({
      port: config.mqttPort,
      host: config.mqttHost,
      username: config.mqttUsername,
      password: config.mqttPassword,
      gate: deps.auth
        ? mqttGate({ tokens: deps.tokens, engine: mqttAuth, alertTopic: config.alertMqttTopic })
        : undefined,
      // The engine's own alert topic stays open to it when devices are held to theirs.
      publishTopics: config.mqttPublishTopics && [
        ...config.mqttPublishTopics,
        ...(config.alertMqttTopic ? [`${config.alertMqttTopic}/#`] : []),
      ],
    });
    log.info('embedded MQTT broker listening', { url: broker.url });
  }
  const mqttUrl = config.mqttUrl ?? broker?.url ?? null;
  let source: MqttSource | null = null;
  if (mqttUrl && !config.replica) {
    // Every topic, so that a message on one that names no family is dead-lettered rather than never seen: all of
    // the embedded broker (it serves only the engine's devices), and the `city/` namespace of a shared broker.
    source = new MqttSource({
      url: mqttUrl,
      clientId: config.mqttClientId,
      protocolVersion: broker ? 4 : 5,
      receiveMaximum: config.mqttReceiveMax,
      sessionExpirySeconds: config.mqttSessionExpiryS,
      maxInFlightBytes: config.maxInFlightBytes,
      username: mqttAuth.username,
      password: mqttAuth.password,
      topics: broker ? ['#'] : ['city/#'],
    });
    try {
      await source.start((msg) => void deps.ingest(msg));
    } catch (err) {
      await broker?.close();
      throw err;
    }
  }
  return { broker, source, mqttUrl, mqttAuth };
}
