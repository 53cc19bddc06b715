// Settings of the NATS connector: core subscriptions, or a JetStream stream read by a durable pull consumer.
import { z } from 'zod';

export const NatsSourceConfig = z.object({
  url: z.string().min(1),
  /** `jetstream`: durable, acknowledged after the commit (nothing lost); `core`: plain subscriptions (at most once). */
  mode: z.enum(['jetstream', 'core']).default('jetstream'),
  /** Core mode: one subscription per family. */
  subjects: z.array(z.string().min(1)).min(1).default(['city.camera.>', 'city.sensor.>', 'city.service.>']),
  /** JetStream: the stream, created with `streamSubjects` when missing. */
  stream: z
    .string()
    .regex(/^[^.*>\s]+$/, 'a stream name cannot hold spaces, dots, * or >')
    .default('CITY'),
  streamSubjects: z.array(z.string().min(1)).min(1).default(['city.>']),
  /** Replicas of a stream the engine creates (3 in a 3-node cluster). */
  streamReplicas: z.number().int().min(1).max(5).default(1),
  /** How long a created stream keeps messages (0: no limit). */
  streamMaxAgeMs: z
    .number()
    .int()
    .min(0)
    .default(7 * 86_400_000),
  /** JetStream: the durable pull consumer, created when missing. One engine per consumer name. */
  consumer: z
    .string()
    .regex(/^[^.*>\s]+$/, 'a consumer name cannot hold spaces, dots, * or >')
    .default('ioc-engine'),
  /** What the consumer reads of the stream: one filter, so that every stream sequence it sees is one it must store. */
  filterSubject: z.string().min(1).default('city.>'),
  /** Unacknowledged messages come again after this long (a crashed engine's messages, say). */
  ackWaitMs: z.number().int().min(1000).default(30_000),
  /**
   * At most this many delivered messages wait for their commit; past it no more is pulled (JetStream) or new
   * messages are dropped and counted (core, which has no redelivery anyway).
   */
  maxInFlight: z.number().int().min(1).default(20_000),
  /** The same bound in payload bytes, so that large messages (arrays of events) cannot fill memory either. */
  maxInFlightBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Messages asked for by one pull request. */
  pullBatch: z.number().int().min(1).max(10_000).default(1000),
  /** How long one pull request waits for messages before the next one is sent (a graceful stop waits for it). */
  pullExpiresMs: z.number().int().min(1000).default(2000),
  reconnectMinMs: z.number().int().min(10).default(250),
  reconnectMaxMs: z.number().int().min(10).default(10_000),
  /** Name shown by the server's monitoring. */
  name: z.string().min(1).default('ioc-engine'),
});
export type NatsSourceConfig = z.input<typeof NatsSourceConfig>;
export type NatsSettings = z.infer<typeof NatsSourceConfig>;
