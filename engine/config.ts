// Engine configuration: each part's settings composed into one schema, read from the environment (and an optional
// JSON file) and parsed once at boot.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BrokerSettings } from '../sources/broker/settings.ts';
import { MqttSettings } from '../sources/mqtt/settings.ts';
import { NatsSettings } from '../sources/nats/settings.ts';
import { SimulateSettings } from '../sources/simulate/settings.ts';
import { AccessSettings } from './access/settings.ts';
import { AlertSettings } from './alerts/settings.ts';
import { BasemapSettings } from './basemap/settings.ts';
import { ClusterSettings } from './cluster/settings.ts';
import { ConfigError } from './errors.ts';
import { GeoSettings } from './geo/settings.ts';
import { NotifySettings } from './notify/settings.ts';
import { IngestSettings } from './ingest/settings.ts';
import { OpenSettings } from './open/settings.ts';
import { PgSettings } from './pg/settings.ts';
import { QuerySettings } from './query/settings.ts';
import { ReplicaSettings } from './query/replica/settings.ts';
import { ServeSettings } from './serve/settings.ts';
import { StoreSettings } from './store/settings.ts';
import { TickSettings } from './views/settings.ts';

/** The engine's own settings; every other one belongs to the part that uses it. */
const EngineSettings = z.object({
  logLevel: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'])
    .default('info')
    .describe('`debug`, `info`, `warn`, `error`, `silent` (JSON lines; readable lines on a terminal)'),
});

/** Each part's settings, in the order the README lists them; a key belongs to one part only. */
export const ConfigSchema = z.strictObject({
  ...ServeSettings.shape,
  ...StoreSettings.shape,
  ...MqttSettings.shape,
  ...BrokerSettings.shape,
  ...NatsSettings.shape,
  ...ClusterSettings.shape,
  ...IngestSettings.shape,
  ...SimulateSettings.shape,
  ...TickSettings.shape,
  ...GeoSettings.shape,
  ...BasemapSettings.shape,
  ...QuerySettings.shape,
  ...ReplicaSettings.shape,
  ...PgSettings.shape,
  ...AlertSettings.shape,
  ...NotifySettings.shape,
  ...AccessSettings.shape,
  ...OpenSettings.shape,
  ...EngineSettings.shape,
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

/**
 * The environment variable of a setting: its key split before each capital, upper-cased, joined by underscores
 * (`mqttSessionExpiryS` is `MQTT_SESSION_EXPIRY_S`), unless its metadata names another (`env`).
 */
export function envName(key: string, field: z.ZodType): string {
  return field.meta()?.env ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Every setting as the README lists it: key, variable, schema. */
export const SETTINGS: readonly { key: ConfigKey; env: string; field: z.ZodType }[] = Object.entries(
  ConfigSchema.shape,
).map(([key, field]: [string, z.ZodType]) => ({ key: key as ConfigKey, env: envName(key, field), field }));

/**
 * Reads CONFIG_FILE (JSON with the camelCase keys) if set, then the environment on top of it,
 * then explicit overrides. Every problem is reported at once, named by its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ConfigInput> = {}): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const fromEnv: Record<string, string> = {};
  const envOf: Record<string, string> = {};
  for (const { key, env: name } of SETTINGS) {
    envOf[key] = name;
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        const where =
          key in fromEnv
            ? `${envOf[key]}=${JSON.stringify(fromEnv[key])}`
            : key in fromFile
              ? `${key} in ${env.CONFIG_FILE}`
              : key || 'config';
        return i.code === 'unrecognized_keys'
          ? `${env.CONFIG_FILE ?? 'config'}: unknown key(s) ${i.keys.join(', ')}`
          : `${where}: ${i.message}`;
      }),
    );
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
