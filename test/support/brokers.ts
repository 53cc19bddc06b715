// Test harness for outside brokers: finds Mosquitto and NATS on their standard ports, or starts private ones.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrokerProcess } from './broker-process.ts';
import { freePort, portAnswers, readFirstLine } from './ports.ts';

export { freePort, portAnswers, readFirstLine, waitForPort } from './ports.ts';

export interface BrokerHandle {
  url: string;
  port: number;
  /** Ends a private broker and removes its files; a no-op for a shared one (other tests use it). */
  stop(): Promise<void>;
  /** Private brokers only: stop, then start again on the same port with the same stored state. */
  restart?(): Promise<void>;
}

const HOST = '127.0.0.1';
const MOSQUITTO_BIN = '/usr/sbin/mosquitto';
const NATS_BIN = '/usr/sbin/nats-server';
const MQTT_PORT = 1883;
const NATS_PORT = 4222;
const CI_CONF = fileURLToPath(new URL('../../.ci/mosquitto.conf', import.meta.url));

function inCI(): boolean {
  const ci = process.env.CI ?? '';
  return ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

function missing(name: string, install: string): string {
  return `${name} not reachable; install with: apt-get install -y ${install}`;
}

function failInCI(name: string, install: string): Error {
  return new Error(`${missing(name, install)} (CI is set, so a missing broker fails the run)`);
}

/**
 * True when the handle is usable. Otherwise logs why the tests are skipped and returns false, except
 * under CI, where a missing broker would silently turn a suite green: there it throws.
 */
export function requireOrSkip(name: string, handle: BrokerHandle | undefined, install: string): boolean {
  if (handle) return true;
  if (inCI()) throw failInCI(name, install);
  console.warn(`skipped: ${missing(name, install)}`);
  return false;
}

function handle(scheme: string, port: number, proc: BrokerProcess, dir: string): BrokerHandle {
  return {
    url: `${scheme}://${HOST}:${port}`,
    port,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await proc.stop();
      await proc.start(port);
    },
  };
}

function shared(scheme: string, port: number): BrokerHandle {
  return { url: `${scheme}://${HOST}:${port}`, port, stop: async () => undefined };
}

// Settings that belong to one instance; everything else comes from the recommended .ci/mosquitto.conf.
const PER_INSTANCE = new Set([
  'listener',
  'port',
  'bind_address',
  'persistence_location',
  'log_dest',
  'pid_file',
  'user',
]);

async function privateMosquittoConf(port: number, dir: string): Promise<string> {
  const recommended = (await readFile(CI_CONF, 'utf8'))
    .split('\n')
    .filter((line) => !PER_INSTANCE.has(line.trim().split(/\s+/)[0] ?? ''));
  return [
    ...recommended,
    `listener ${port} ${HOST}`,
    `persistence_location ${dir}/`,
    `log_dest file ${dir}/mosquitto.log`,
    // As root, Mosquitto would switch to its own user, which cannot write our private directory.
    `user ${os.userInfo().username}`,
    '',
  ].join('\n');
}

/** A private Mosquitto on a free port (for tests that restart the broker); undefined if the binary is missing. */
export async function privateMosquitto(): Promise<BrokerHandle | undefined> {
  if (!existsSync(MOSQUITTO_BIN)) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-mosquitto-'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  await writeFile(conf, await privateMosquittoConf(port, dir));
  const proc = new BrokerProcess('mosquitto', [MOSQUITTO_BIN, '-c', conf], path.join(dir, 'mosquitto.log'));
  try {
    await proc.start(port);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return handle('mqtt', port, proc, dir);
}

/**
 * Mosquitto on 127.0.0.1:1883 if it answers, else a private one started from /usr/sbin/mosquitto on a
 * free port with the recommended settings; undefined when neither is possible (under CI: throws).
 * The shared broker may run with Debian's defaults (`max_queued_messages 1000`), so a test that needs
 * lossless QoS 1 queues for a slow subscriber, or a restart, uses privateMosquitto() instead. It also
 * keeps persistent sessions between runs: use unique client ids and topics.
 */
export async function mosquitto(): Promise<BrokerHandle | undefined> {
  if (await portAnswers(MQTT_PORT)) return shared('mqtt', MQTT_PORT);
  const own = await privateMosquitto();
  if (!own && inCI()) throw failInCI('mosquitto', 'mosquitto');
  return own;
}

/** A private nats-server with JetStream on a free port, storing in its own temp dir; undefined if the binary is missing. */
export async function privateNats(): Promise<BrokerHandle | undefined> {
  if (!existsSync(NATS_BIN)) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-nats-'));
  const port = await freePort();
  const log = path.join(dir, 'nats-server.log');
  const argv = [NATS_BIN, '-a', HOST, '-p', String(port), '-js', '-sd', path.join(dir, 'store'), '-l', log];
  const proc = new BrokerProcess('nats-server', argv, log);
  try {
    await proc.start(port);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return handle('nats', port, proc, dir);
}

async function hasJetStream(port: number): Promise<boolean> {
  const line = await readFirstLine(port).catch(() => '');
  if (!line.startsWith('INFO ')) return false;
  try {
    return (JSON.parse(line.slice(5)) as { jetstream?: unknown }).jetstream === true;
  } catch {
    return false;
  }
}

/** NATS on 127.0.0.1:4222 if it answers with JetStream on, else a private one; undefined when neither is possible (under CI: throws). */
export async function nats(): Promise<BrokerHandle | undefined> {
  if ((await portAnswers(NATS_PORT)) && (await hasJetStream(NATS_PORT))) return shared('nats', NATS_PORT);
  const own = await privateNats();
  if (!own && inCI()) throw failInCI('nats-server', 'nats-server');
  return own;
}
