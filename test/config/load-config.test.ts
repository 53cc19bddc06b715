// loadConfig: every setting read from its variable, the config file under the environment, and errors that name the
// variable (or the file's key) of every problem at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigSchema, envName, loadConfig, SETTINGS, type Config } from '../../engine/config.ts';
import { ConfigError } from '../../engine/errors.ts';

/** The variables operators already set: renaming one breaks their deployments. */
const PUBLIC_NAMES = [
  'HOST',
  'PORT',
  'DATA_DIR',
  'DB_FILE',
  'MQTT_URL',
  'MQTT_PORT',
  'MQTT_HOST',
  'MQTT_CLIENT_ID',
  'MQTT_RECEIVE_MAX',
  'MQTT_SESSION_EXPIRY_S',
  'NATS_URL',
  'NATS_MODE',
  'NATS_STREAM',
  'NATS_CONSUMER',
  'NATS_MAX_IN_FLIGHT',
  'NATS_ACK_WAIT_MS',
  'NATS_REPLICAS',
  'REPLICA',
  'READY_MAX_LAG',
  'LEADER_TTL_MS',
  'MAX_IN_FLIGHT_BYTES',
  'DUCKDB_MEMORY_LIMIT',
  'DUCKDB_THREADS',
  'INGEST_MAX_BYTES',
  'ENGINES',
  'AUTH',
  'RATE_LIMIT',
  'RATE_BURST',
  'MAX_SOCKET_CLIENTS',
  'SQL_PER_TOKEN',
  'MQTT_USERNAME',
  'MQTT_PASSWORD',
  'MQTT_PUBLISH_TOPICS',
  'ALERT_MQTT_TOPIC',
  'ALERT_NATS_SUBJECT',
  'ALERT_WEBHOOK_URL',
  'SMTP_URL',
  'ALERT_EMAIL_TO',
  'ALERT_EMAIL_FROM',
  'ESCALATE_AFTER_MIN',
  'ESCALATE_EMAIL_TO',
  'BRIEFING_AT',
  'BRIEFING_TO',
  'SIMULATE',
  'SIM_RATE',
  'SIM_BACKFILL_H',
  'SIM_SEED',
  'LOG_LEVEL',
  'BATCH_ROWS',
  'BATCH_AGE_MS',
  'BATCH_QUIET_ROWS',
  'BATCH_QUIET_AGE_MS',
  'TICK_MS',
  'RECOMPUTE_MS',
  'RECOMPUTE_BUDGET_PCT',
  'TICK_MIN_MS',
  'MAX_PAYLOAD_BYTES',
  'MAX_FUTURE_MS',
  'AREAS_FILE',
  'BASEMAP_URL',
  'BASEMAP_ATTRIBUTION',
  'RETAIN_RAW_DAYS',
  'RETAIN_ROLLUP_DAYS',
  'ARCHIVE_RAW',
  'SQL_TIMEOUT_MS',
  'SQL_MAX_ROWS',
  'SQL_CONCURRENCY',
  'SQL_QUEUE',
  'SQL_EXPORT_TIMEOUT_MS',
  'SQL_YIELD_MS',
  'SQL_MEMORY_LIMIT',
  'SQL_THREADS',
  'SQL_SYNC_MS',
  'PG_PORT',
  'PG_MAX_ROWS',
  'PG_MAX_CONNECTIONS',
  'PG_MAX_MESSAGE_BYTES',
  'PG_AUTH_TIMEOUT_MS',
  'PG_TLS_CERT',
  'PG_TLS_KEY',
  'OPEN_RATE_PER_MIN',
  'OPEN_MIN_COUNT',
  'OPEN_BASE_URL',
];

/** For each variable, a value other than its default as the environment gives it, and the setting it becomes. */
const FROM_ENV: Record<string, [string, unknown]> = {
  HOST: ['0.0.0.0', '0.0.0.0'],
  PORT: ['9090', 9090],
  INGEST_MAX_BYTES: ['2048', 2048],
  ENGINES: ['http://10.0.0.1:8080, http://10.0.0.2:8080', ['http://10.0.0.1:8080', 'http://10.0.0.2:8080']],
  DATA_DIR: ['/var/lib/ioc', '/var/lib/ioc'],
  DB_FILE: [':memory:', ':memory:'],
  DUCKDB_MEMORY_LIMIT: ['512MB', '512MB'],
  DUCKDB_THREADS: ['2', 2],
  RETAIN_RAW_DAYS: ['14', 14],
  RETAIN_ROLLUP_DAYS: ['800', 800],
  ARCHIVE_RAW: ['off', false],
  MQTT_URL: ['mqtts://broker.city:8883', 'mqtts://broker.city:8883'],
  MQTT_CLIENT_ID: ['ioc-2', 'ioc-2'],
  MQTT_RECEIVE_MAX: ['500', 500],
  MQTT_SESSION_EXPIRY_S: ['0', 0],
  MQTT_USERNAME: ['engine', 'engine'],
  MQTT_PASSWORD: ['s3cret', 's3cret'],
  MQTT_PORT: ['11883', 11883],
  MQTT_HOST: ['0.0.0.0', '0.0.0.0'],
  MQTT_PUBLISH_TOPICS: ['city/#, , ext/+', ['city/#', 'ext/+']],
  NATS_URL: ['nats://nats.city:4222', 'nats://nats.city:4222'],
  NATS_MODE: ['core', 'core'],
  NATS_STREAM: ['HANOI', 'HANOI'],
  NATS_CONSUMER: ['ioc-b', 'ioc-b'],
  NATS_MAX_IN_FLIGHT: ['100', 100],
  NATS_ACK_WAIT_MS: ['5000', 5000],
  NATS_REPLICAS: ['3', 3],
  REPLICA: ['north-1', 'north-1'],
  READY_MAX_LAG: ['100', 100],
  LEADER_TTL_MS: ['3000', 3000],
  BATCH_ROWS: ['500', 500],
  BATCH_AGE_MS: ['20', 20],
  BATCH_QUIET_ROWS: ['0', 0],
  BATCH_QUIET_AGE_MS: ['500', 500],
  MAX_PAYLOAD_BYTES: ['4096', 4096],
  MAX_FUTURE_MS: ['0', 0],
  MAX_IN_FLIGHT_BYTES: ['2097152', 2097152],
  SIMULATE: ['no', false],
  SIM_RATE: ['12.5', 12.5],
  SIM_BACKFILL_H: ['6', 6],
  SIM_SEED: ['7', 7],
  TICK_MS: ['500', 500],
  RECOMPUTE_MS: ['2000', 2000],
  RECOMPUTE_BUDGET_PCT: ['10', 10],
  TICK_MIN_MS: ['0', 0],
  AREAS_FILE: ['areas.geojson', 'areas.geojson'],
  BASEMAP_URL: ['https://tiles.hanoi.gov.vn/{z}/{x}/{y}.png', 'https://tiles.hanoi.gov.vn/{z}/{x}/{y}.png'],
  BASEMAP_ATTRIBUTION: ['© OpenStreetMap contributors', '© OpenStreetMap contributors'],
  SQL_TIMEOUT_MS: ['2000', 2000],
  SQL_MAX_ROWS: ['50', 50],
  SQL_CONCURRENCY: ['2', 2],
  SQL_QUEUE: ['0', 0],
  SQL_EXPORT_TIMEOUT_MS: ['60000', 60000],
  SQL_YIELD_MS: ['0', 0],
  SQL_MEMORY_LIMIT: ['2 GiB', '2 GiB'],
  SQL_THREADS: ['4', 4],
  SQL_SYNC_MS: ['250', 250],
  PG_PORT: ['0', 0],
  PG_MAX_ROWS: ['5000', 5000],
  PG_MAX_CONNECTIONS: ['8', 8],
  PG_MAX_MESSAGE_BYTES: ['65536', 65536],
  PG_AUTH_TIMEOUT_MS: ['2000', 2000],
  PG_TLS_CERT: ['/etc/ioc/pg.crt', '/etc/ioc/pg.crt'],
  PG_TLS_KEY: ['/etc/ioc/pg.key', '/etc/ioc/pg.key'],
  ALERT_MQTT_TOPIC: ['ioc/alerts', 'ioc/alerts'],
  ALERT_NATS_SUBJECT: ['ioc.alerts', 'ioc.alerts'],
  ALERT_WEBHOOK_URL: ['https://hooks.city/ioc', 'https://hooks.city/ioc'],
  SMTP_URL: ['smtp://ioc:secret@mail.hanoi.gov.vn:587', 'smtp://ioc:secret@mail.hanoi.gov.vn:587'],
  ALERT_EMAIL_TO: ['ops@hanoi.gov.vn, duty@hanoi.gov.vn', ['ops@hanoi.gov.vn', 'duty@hanoi.gov.vn']],
  ALERT_EMAIL_FROM: ['IOC Hà Nội <ioc@hanoi.gov.vn>', 'IOC Hà Nội <ioc@hanoi.gov.vn>'],
  ESCALATE_AFTER_MIN: ['30', 30],
  ESCALATE_EMAIL_TO: ['chief@hanoi.gov.vn', ['chief@hanoi.gov.vn']],
  BRIEFING_AT: ['06:30', '06:30'],
  BRIEFING_TO: ['leaders@hanoi.gov.vn', ['leaders@hanoi.gov.vn']],
  AUTH: ['on', 'on'],
  RATE_LIMIT: ['10', 10],
  RATE_BURST: ['20', 20],
  MAX_SOCKET_CLIENTS: ['50', 50],
  SQL_PER_TOKEN: ['3', 3],
  OPEN_RATE_PER_MIN: ['600', 600],
  OPEN_MIN_COUNT: ['10', 10],
  OPEN_BASE_URL: ['https://data.hanoi.gov.vn', 'https://data.hanoi.gov.vn'],
  LOG_LEVEL: ['debug', 'debug'],
};

const dir = mkdtempSync(join(tmpdir(), 'ioc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The issues of the ConfigError loadConfig throws. */
function issues(env: NodeJS.ProcessEnv, overrides = {}): readonly string[] {
  try {
    loadConfig(env, overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('loadConfig accepted it');
}

describe('variable names', () => {
  it('are the public ones, every one still read', () => {
    expect(SETTINGS.map((s) => s.env).sort()).toEqual([...PUBLIC_NAMES].sort());
  });

  it('are derived from the key, unless the metadata names another', () => {
    expect(envName('mqttSessionExpiryS', z.string())).toBe('MQTT_SESSION_EXPIRY_S');
    expect(envName('duckdbMemoryLimit', z.string())).toBe('DUCKDB_MEMORY_LIMIT');
    expect(envName('port', z.string())).toBe('PORT');
    expect(envName('natsUrl', z.string().optional().meta({ description: 'x', env: 'NATS_SERVERS' }))).toBe(
      'NATS_SERVERS',
    );
  });

  it('belong to one setting each', () => {
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    expect(SETTINGS.map((s) => s.key)).toEqual(Object.keys(ConfigSchema.shape));
  });
});

describe('every setting from its variable', () => {
  it('the table above covers every setting', () => {
    expect(Object.keys(FROM_ENV).sort()).toEqual(SETTINGS.map((s) => s.env).sort());
  });

  for (const { key, env } of SETTINGS) {
    it(`${env} sets ${key}`, () => {
      const [text, value] = FROM_ENV[env] ?? ['', undefined];
      const config = loadConfig({ [env]: text });
      expect(config[key]).toEqual(value);
      expect(loadConfig({})[key], 'the value differs from the default').not.toEqual(value);
    });
  }

  it('all at once, and an empty variable counts as unset', () => {
    const env = Object.fromEntries(Object.entries(FROM_ENV).map(([name, [text]]) => [name, text]));
    const config = loadConfig(env);
    for (const { key, env: name } of SETTINGS) expect(config[key], name).toEqual(FROM_ENV[name]![1]);
    expect(loadConfig({ PORT: '', SIMULATE: '' })).toMatchObject({ port: 8080, simulate: true });
  });

  it("NATS_URL takes a cluster's servers, each one checked", () => {
    expect(loadConfig({ NATS_URL: 'nats://a:4222,nats://b:4222, nats://c:4222' }).natsUrl).toBe(
      'nats://a:4222,nats://b:4222, nats://c:4222',
    );
    expect(issues({ NATS_URL: 'nats://a:4222,http://b:4222' })[0]).toMatch(/^NATS_URL=.*each starting with nats:/);
  });

  it('flags read 1/0, true/false, on/off, yes/no', () => {
    for (const yes of ['1', 'true', 'on', 'yes']) expect(loadConfig({ SIMULATE: yes }).simulate, yes).toBe(true);
    for (const no of ['0', 'false', 'off', 'no']) expect(loadConfig({ SIMULATE: no }).simulate, no).toBe(false);
  });

  it('the result is frozen', () => {
    const config: Config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('the config file', () => {
  it('gives the camelCase keys; the environment wins over it, explicit overrides over both', () => {
    const path = file(
      'ioc.json',
      JSON.stringify({ port: 9000, simulate: false, natsMode: 'core', mqttPublishTopics: 'city/#' }),
    );
    expect(loadConfig({ CONFIG_FILE: path })).toMatchObject({
      port: 9000,
      simulate: false,
      natsMode: 'core',
      mqttPublishTopics: ['city/#'],
    });
    expect(loadConfig({ CONFIG_FILE: path, PORT: '9001' })).toMatchObject({ port: 9001, simulate: false });
    expect(loadConfig({ CONFIG_FILE: path, PORT: '9001' }, { port: 0 })).toMatchObject({ port: 0 });
  });

  it('a bad value names the key and the file; an unknown key is refused', () => {
    const path = file('bad.json', JSON.stringify({ port: 'eighty', tickMs: 5, mqttPassowrd: 'x', logLevel: 'loud' }));
    const found = issues({ CONFIG_FILE: path });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^port in ${path}: `)),
        expect.stringMatching(new RegExp(`^tickMs in ${path}: .*50`)),
        expect.stringMatching(new RegExp(`^logLevel in ${path}: `)),
        `${path}: unknown key(s) mqttPassowrd`,
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('one that cannot be read, is not JSON, or is not an object stops with its name', () => {
    expect(issues({ CONFIG_FILE: join(dir, 'missing.json') })).toEqual([
      expect.stringMatching(/^CONFIG_FILE=.*missing\.json: cannot read it/),
    ]);
    expect(issues({ CONFIG_FILE: file('broken.json', '{"port": 80,') })).toEqual([
      expect.stringMatching(/^CONFIG_FILE=.*broken\.json: not valid JSON/),
    ]);
    expect(issues({ CONFIG_FILE: file('list.json', '[1, 2]') })).toEqual([
      expect.stringMatching(/list\.json: not valid JSON \(expected a JSON object\)/),
    ]);
  });
});

describe('errors', () => {
  it('name the variable and the value given', () => {
    expect(issues({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT="70000": .*65535/)]);
    expect(issues({ MQTT_URL: 'http://broker' })).toEqual([
      'MQTT_URL="http://broker": must be a URL starting with mqtt: or mqtts: or tcp: or ws: or wss://',
    ]);
    expect(issues({ DUCKDB_MEMORY_LIMIT: 'lots' })).toEqual([
      'DUCKDB_MEMORY_LIMIT="lots": must be a size such as 512MB or 2GB',
    ]);
    expect(issues({ NATS_STREAM: 'a.b' })).toEqual([
      'NATS_STREAM="a.b": must be a stream name: no spaces, dots, * or >',
    ]);
    expect(issues({ ALERT_MQTT_TOPIC: 'ioc/#' })).toEqual([
      'ALERT_MQTT_TOPIC="ioc/#": must be a topic prefix without wildcards',
    ]);
    expect(issues({ SIMULATE: 'maybe' })).toEqual([expect.stringMatching(/^SIMULATE="maybe": /)]);
    expect(issues({ OPEN_BASE_URL: 'data.hanoi.gov.vn' })).toEqual([
      'OPEN_BASE_URL="data.hanoi.gov.vn": must be a URL starting with http: or https://',
    ]);
    // A base map the wall could not draw: no tile coordinates, an unknown tile format, credentials for every browser.
    for (const basemap of [
      'https://tiles.example/hanoi.png',
      'https://tiles.example/{z}/{x}/{y}.tif',
      'https://user:key@tiles.example/{z}/{x}/{y}.png',
      'ftp://tiles.example/{z}/{x}/{y}.png',
      '/srv/tiles/hanoi.mbtiles',
    ])
      expect(issues({ BASEMAP_URL: basemap })).toEqual([expect.stringMatching(/^BASEMAP_URL=".*": must be an http/)]);
    // A recipient list names the address that is not one.
    expect(issues({ ALERT_EMAIL_TO: 'truc-ban@hanoi.gov.vn, nope' })).toEqual([
      'ALERT_EMAIL_TO="truc-ban@hanoi.gov.vn, nope": "nope" is not an email address',
    ]);
  });

  it('list several problems at once', () => {
    const found = issues({ PORT: 'x', SQL_THREADS: '0', NATS_MODE: 'push', AUTH: 'maybe' });
    expect(found.map((i) => i.split('=')[0])).toEqual(['PORT', 'NATS_MODE', 'SQL_THREADS', 'AUTH']);
    expect(() => loadConfig({ PORT: 'x', AUTH: 'maybe' })).toThrow(
      /invalid configuration:\n {2}- PORT="x": .*\n {2}- AUTH="maybe": /,
    );
  });

  it('of an explicit override name its key', () => {
    expect(issues({}, { port: -1 })).toEqual([expect.stringMatching(/^port: /)]);
  });
});
