// Settings of the MQTT connector.
import { z } from 'zod';

export const MqttSourceConfig = z.object({
  url: z.string().min(1),
  clientId: z.string().min(1).max(128).default('ioc-engine'),
  topics: z.array(z.string().min(1)).default(['city/camera/#', 'city/sensor/#', 'city/service/#']),
  /**
   * 5 lets the broker send up to `receiveMaximum` unacknowledged QoS 1 messages, so acknowledging after the
   * DuckDB commit does not throttle the stream; 4 (MQTT 3.1.1) is for brokers without v5, such as the embedded one.
   */
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(5),
  receiveMaximum: z.number().int().min(1).max(65535).default(20000),
  /** Uncommitted payload bytes past which the connector stops reading (the broker then holds the rest). */
  maxInFlightBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Seconds the broker keeps our session (and queues messages for it) while we are away. */
  sessionExpirySeconds: z
    .number()
    .int()
    .min(0)
    .default(7 * 86_400),
  reconnectMinMs: z.number().int().min(10).default(250),
  reconnectMaxMs: z.number().int().min(10).default(10_000),
  username: z.string().optional(),
  password: z.string().optional(),
});
export type MqttSourceConfig = z.input<typeof MqttSourceConfig>;
