// The MQTT connector's settings: the city's broker, the engine's session on it, and the credentials it sends.
import { z } from 'zod';
import { int, url } from '../../engine/config-fields.ts';

export const MqttSettings = z.object({
  mqttUrl: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:'])
    .optional()
    .describe("the city's MQTT broker; unset: the embedded broker"),
  mqttClientId: z.string().min(1).max(128).default('ioc-engine').describe("the engine's persistent MQTT session"),
  mqttReceiveMax: int(1, 65535)
    .default(20000)
    .describe('MQTT 5 receive maximum: unacknowledged messages the broker may send (the ingest back-pressure window)'),
  mqttSessionExpiryS: int(0, 2 ** 32 - 1)
    .default(7 * 86_400)
    .describe('how long the broker keeps queuing for the engine while it is down'),
  mqttUsername: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'the embedded broker then asks every client for it and `MQTT_PASSWORD` (with `AUTH` on, they are its all-rights login, beside device tokens: see [Access](#access)); with `MQTT_URL` the engine sends them (never shown in health or logs)',
    ),
  mqttPassword: z.string().min(1).max(256).optional().describe('the password that goes with `MQTT_USERNAME`'),
});
