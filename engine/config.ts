// Engine configuration: environment variables (and an optional JSON file), parsed once at boot by zod.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const bool = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'on' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: readonly string[]) => z.string().refine((s) => {
  try { return protocols.includes(new URL(s).protocol); } catch { return false; }
}, { message: `must be a URL starting with ${protocols.join(' or ')}//` });

export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: int(0, 65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  /** ':memory:' keeps everything in memory (tests); otherwise DATA_DIR/ioc.duckdb. */
  dbFile: z.string().optional(),
  mqttUrl: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).optional(),
  mqttPort: int(0, 65535).default(1883),
  mqttHost: z.string().min(1).default('127.0.0.1'),
  mqttClientId: z.string().min(1).max(128).default('ioc-engine'),
  /** The MQTT v5 receive maximum: how many unacknowledged QoS 1 messages the broker may send us. */
  mqttReceiveMax: int(1, 65535).default(20000),
  /** How long the broker keeps the engine's session (and queues for it) while the engine is down. */
  mqttSessionExpiryS: int(0, 2 ** 32 - 1).default(7 * 86_400),
  /** The city's NATS server; NATS sources are on when set. */
  natsUrl: url(['nats:', 'tls:']).optional(),
  /** `jetstream`: a durable pull consumer, acknowledged after the commit; `core`: plain subscriptions, at most once. */
  natsMode: z.enum(['jetstream', 'core']).default('jetstream'),
  natsStream: z.string().regex(/^[^.*>\s]+$/, 'must be a stream name: no spaces, dots, * or >').default('CITY'),
  natsConsumer: z.string().regex(/^[^.*>\s]+$/, 'must be a consumer name: no spaces, dots, * or >').default('ioc-engine'),
  /** Delivered NATS messages that may wait for their commit: past it the engine pulls no more. */
  natsMaxInFlight: int(1, 1_000_000).default(20_000),
  /** Payload bytes that may wait for their commit, per source (MQTT, NATS): past it a source takes no more. */
  maxInFlightBytes: int(1024 * 1024, 4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  /** DuckDB's buffer pool: written and read blocks are cached up to this, the rest stays on disk. */
  duckdbMemoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 512MB or 2GB').default('1GB'),
  /** JetStream redelivers a message not acknowledged within this time. */
  natsAckWaitMs: int(1000, 3_600_000).default(30_000),
  /** Largest body POST /api/ingest accepts. */
  ingestMaxBytes: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /** on: every route but the pages and health needs a bearer token. Unset: off on loopback (the demo), on elsewhere. */
  auth: z.enum(['on', 'off']).optional(),
  /** Requests per second each token may make (and the burst it may save up). */
  rateLimit: int(1, 1_000_000).default(100),
  rateBurst: int(1, 1_000_000).default(200),
  maxSocketClients: int(1, 100_000).default(1000),
  /** Analyst queries one token may have running at once. */
  sqlPerToken: int(1, 64).default(1),
  /** Credentials for MQTT: the embedded broker then asks every client for them; with MQTT_URL the engine sends them. */
  mqttUsername: z.string().min(1).max(256).optional(),
  mqttPassword: z.string().min(1).max(256).optional(),
  /** Topic filters devices may publish to on the embedded broker, comma-separated (e.g. city/#); unset: any. */
  mqttPublishTopics: z.string().transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean)).optional(),
  /** Alert changes are also published to this MQTT topic prefix (<prefix>/<severity>/<area>) on the engine's broker. */
  alertMqttTopic: z.string().regex(/^[^#+]+$/, 'must be a topic prefix without wildcards').optional(),
  /** … to this NATS subject prefix (<prefix>.<severity>.<area>) on NATS_URL. */
  alertNatsSubject: z.string().regex(/^[^*>\s]+$/, 'must be a subject prefix without wildcards').optional(),
  /** … and POSTed as JSON to this URL. */
  alertWebhookUrl: url(['http:', 'https:']).optional(),
  simulate: bool.default(true),
  simRate: z.coerce.number().min(0).max(1_000_000).default(200),
  simSeed: int(0, 2 ** 31).default(1010),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  batchRows: int(1, 1_000_000).default(10_000),
  batchAgeMs: int(1, 60_000).default(100),
  /** Longest time between two indicator ticks; a commit asks for one sooner. */
  tickMs: int(50, 60_000).default(1000),
  /** Shortest time between the starts of two ticks, so back-to-back commits do not keep DuckDB busy with ticks. */
  tickMinMs: int(0, 60_000).default(250),
  maxPayloadBytes: int(64, 64 * 1024 * 1024).default(1024 * 1024),
  /** Event times further ahead of the receiving clock than this are refused (bad device clocks). */
  maxFutureMs: int(0, 7 * 86_400_000).default(3_600_000),
  areasFile: z.string().min(1).optional(),
  /** Raw events are kept this many days, then archived to Parquet under DATA_DIR/archive and deleted. */
  retainRawDays: int(1, 3650).default(7),
  /** Indicator rollups are kept this many days. */
  retainRollupDays: int(1, 36_500).default(400),
  archiveRaw: bool.default(true),
  sqlTimeoutMs: int(100, 600_000).default(10_000),
  sqlMaxRows: int(1, 10_000_000).default(10_000),
  /** Analyst queries running at once (each uses every DuckDB thread: more than one starves ingestion, see bench/sql.ts); more wait in a queue of SQL_QUEUE, past that 429. */
  sqlConcurrency: int(1, 16).default(1),
  sqlQueue: int(0, 1000).default(16),
  /** Time limit of a CSV, Parquet or Arrow download, which has no row cap. */
  sqlExportTimeoutMs: int(1000, 3_600_000).default(300_000),
  /** While ingestion is behind (more than a batch waiting to commit), a new analyst query waits up to this long for it; 0: never. */
  sqlYieldMs: int(0, 60_000).default(2_000),
  /** Memory the analysts' replica (their own DuckDB instance) may hold; ingestion's DUCKDB_MEMORY_LIMIT is apart from it. */
  sqlMemoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 512MB or 2GB').default('1GB'),
  /** DuckDB threads of the analysts' replica. */
  sqlThreads: int(1, 64).default(2),
  /** Longest delay before a change in the engine's database reaches the analysts' replica. */
  sqlSyncMs: int(50, 60_000).default(1000),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Environment variable → config key. */
export const ENV_KEYS = {
  HOST: 'host', PORT: 'port', DATA_DIR: 'dataDir', DB_FILE: 'dbFile',
  MQTT_URL: 'mqttUrl', MQTT_PORT: 'mqttPort', MQTT_HOST: 'mqttHost', MQTT_CLIENT_ID: 'mqttClientId',
  MQTT_RECEIVE_MAX: 'mqttReceiveMax', MQTT_SESSION_EXPIRY_S: 'mqttSessionExpiryS', NATS_URL: 'natsUrl', NATS_MODE: 'natsMode', NATS_STREAM: 'natsStream',
  NATS_CONSUMER: 'natsConsumer', NATS_MAX_IN_FLIGHT: 'natsMaxInFlight', NATS_ACK_WAIT_MS: 'natsAckWaitMs', MAX_IN_FLIGHT_BYTES: 'maxInFlightBytes', DUCKDB_MEMORY_LIMIT: 'duckdbMemoryLimit', INGEST_MAX_BYTES: 'ingestMaxBytes',
  AUTH: 'auth', RATE_LIMIT: 'rateLimit', RATE_BURST: 'rateBurst', MAX_SOCKET_CLIENTS: 'maxSocketClients', SQL_PER_TOKEN: 'sqlPerToken',
  MQTT_USERNAME: 'mqttUsername', MQTT_PASSWORD: 'mqttPassword', MQTT_PUBLISH_TOPICS: 'mqttPublishTopics',
  ALERT_MQTT_TOPIC: 'alertMqttTopic', ALERT_NATS_SUBJECT: 'alertNatsSubject', ALERT_WEBHOOK_URL: 'alertWebhookUrl',
  SIMULATE: 'simulate', SIM_RATE: 'simRate', SIM_SEED: 'simSeed',
  LOG_LEVEL: 'logLevel', BATCH_ROWS: 'batchRows', BATCH_AGE_MS: 'batchAgeMs', TICK_MS: 'tickMs', TICK_MIN_MS: 'tickMinMs',
  MAX_PAYLOAD_BYTES: 'maxPayloadBytes', MAX_FUTURE_MS: 'maxFutureMs', AREAS_FILE: 'areasFile',
  RETAIN_RAW_DAYS: 'retainRawDays', RETAIN_ROLLUP_DAYS: 'retainRollupDays', ARCHIVE_RAW: 'archiveRaw',
  SQL_TIMEOUT_MS: 'sqlTimeoutMs', SQL_MAX_ROWS: 'sqlMaxRows',
  SQL_CONCURRENCY: 'sqlConcurrency', SQL_QUEUE: 'sqlQueue', SQL_EXPORT_TIMEOUT_MS: 'sqlExportTimeoutMs', SQL_YIELD_MS: 'sqlYieldMs',
  SQL_MEMORY_LIMIT: 'sqlMemoryLimit', SQL_THREADS: 'sqlThreads', SQL_SYNC_MS: 'sqlSyncMs',
} as const satisfies Record<string, keyof Config>;

const KEY_TO_ENV = Object.fromEntries(Object.entries(ENV_KEYS).map(([env, key]) => [key, env])) as Record<string, string>;

/**
 * Reads CONFIG_FILE (JSON with the camelCase keys) if set, then the environment on top of it,
 * then explicit overrides. Every problem is reported at once, named by its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ConfigInput> = {}): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const fromEnv: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const where = key in fromEnv ? `${KEY_TO_ENV[key]}=${JSON.stringify(fromEnv[key])}` : key in fromFile ? `${key} in ${env.CONFIG_FILE}` : key || 'config';
      return i.code === 'unrecognized_keys' ? `${env.CONFIG_FILE ?? 'config'}: unknown key(s) ${i.keys.join(', ')}` : `${where}: ${i.message}`;
    }));
  }
  return Object.freeze(parsed.data);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE=${path}: cannot read it (${(err as Error).message})`]);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE=${path}: not valid JSON (${(err as Error).message})`]);
  }
}
