// Proves the broker harness: shared or private brokers answer, restart keeps the port, private ones die with us.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, connectAsync, type IClientOptions } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  mosquitto,
  nats,
  portAnswers,
  privateMosquitto,
  privateNats,
  readFirstLine,
  requireOrSkip,
  waitForPort,
  type BrokerHandle,
} from './brokers.ts';

const SLOW = 30_000;

async function waitUntilClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await portAnswers(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still answers after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Subscribes at QoS 1, publishes at QoS 1 and returns what came back. */
async function mqttRoundtrip(url: string, options: IClientOptions = {}): Promise<string> {
  const topic = `test/brokers/${randomUUID()}`;
  const client = await connectAsync(url, { clientId: `brokers-test-${randomUUID()}`, reconnectPeriod: 0, ...options });
  try {
    const received = new Promise<string>((resolve) => {
      client.on('message', (t, payload) => {
        if (t === topic) resolve(payload.toString());
      });
    });
    await client.subscribeAsync(topic, { qos: 1 });
    await client.publishAsync(topic, 'ping', { qos: 1 });
    return await received;
  } finally {
    await client.endAsync();
  }
}

function natsInfo(line: string): { port: number; jetstream?: boolean } {
  expect(line.startsWith('INFO {')).toBe(true);
  return JSON.parse(line.slice('INFO '.length)) as { port: number; jetstream?: boolean };
}

describe('ports', () => {
  it('freePort gives a port nothing answers on, and waitForPort gives up with a clear error', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portAnswers(port)).toBe(false);
    await expect(waitForPort(port, '127.0.0.1', 300)).rejects.toThrow(`127.0.0.1:${port}`);
  });

  it('requireOrSkip names what to install', () => {
    const ci = process.env.CI;
    try {
      delete process.env.CI;
      expect(requireOrSkip('thing', undefined, 'thing-server')).toBe(false);
      process.env.CI = 'true';
      expect(() => requireOrSkip('thing', undefined, 'thing-server')).toThrow('apt-get install -y thing-server');
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });
});

const sharedMqtt = await mosquitto();
describe.skipIf(!requireOrSkip('mosquitto', sharedMqtt, 'mosquitto'))('mosquitto()', () => {
  afterAll(() => sharedMqtt?.stop());

  it(
    'accepts an mqtt.js connection and a QoS 1 roundtrip',
    async () => {
      expect(await mqttRoundtrip(sharedMqtt!.url)).toBe('ping');
    },
    SLOW,
  );
});

const ownMqtt = await privateMosquitto();
describe.skipIf(!requireOrSkip('private mosquitto', ownMqtt, 'mosquitto'))('privateMosquitto()', () => {
  let broker: BrokerHandle | undefined = ownMqtt;
  afterAll(() => broker?.stop());

  it(
    'listens on its own port',
    async () => {
      expect(broker!.port).not.toBe(1883);
      expect(broker!.url).toBe(`mqtt://127.0.0.1:${broker!.port}`);
      expect(await mqttRoundtrip(broker!.url)).toBe('ping');
    },
    SLOW,
  );

  it(
    'restarts on the same port and keeps what a persistent session had queued',
    async () => {
      const clientId = `brokers-test-persistent-${randomUUID()}`;
      const topic = `test/brokers/${randomUUID()}`;
      const persistent = { clientId, clean: false, reconnectPeriod: 0 };

      const subscriber = await connectAsync(broker!.url, persistent);
      await subscriber.subscribeAsync(topic, { qos: 1 });
      await subscriber.endAsync();
      const publisher = await connectAsync(broker!.url, { reconnectPeriod: 0 });
      await publisher.publishAsync(topic, 'queued while away', { qos: 1 });
      await publisher.endAsync();

      const port = broker!.port;
      await broker!.restart!();
      expect(broker!.port).toBe(port);

      // The queued message may arrive with the CONNACK, so listen before connecting.
      const back = connect(broker!.url, persistent);
      try {
        const message = await new Promise<string>((resolve, reject) => {
          back.on('message', (_t, payload) => resolve(payload.toString()));
          back.on('error', reject);
        });
        expect(message).toBe('queued while away');
      } finally {
        await back.endAsync();
      }
      expect(await mqttRoundtrip(broker!.url)).toBe('ping');
    },
    SLOW,
  );

  it(
    'stop() ends the broker',
    async () => {
      const port = broker!.port;
      await broker!.stop();
      broker = undefined;
      await waitUntilClosed(port, 5_000);
    },
    SLOW,
  );
});

const sharedNats = await nats();
describe.skipIf(!requireOrSkip('nats-server', sharedNats, 'nats-server'))('nats()', () => {
  afterAll(() => sharedNats?.stop());

  it(
    'greets with INFO and has JetStream on',
    async () => {
      const info = natsInfo(await readFirstLine(sharedNats!.port));
      expect(info.jetstream).toBe(true);
      expect(sharedNats!.url).toBe(`nats://127.0.0.1:${sharedNats!.port}`);
    },
    SLOW,
  );
});

const ownNats = await privateNats();
describe.skipIf(!requireOrSkip('private nats-server', ownNats, 'nats-server'))('privateNats()', () => {
  let broker: BrokerHandle | undefined = ownNats;
  afterAll(() => broker?.stop());

  it(
    'listens on its own port with JetStream',
    async () => {
      expect(broker!.port).not.toBe(4222);
      const info = natsInfo(await readFirstLine(broker!.port));
      expect(info.port).toBe(broker!.port);
      expect(info.jetstream).toBe(true);
    },
    SLOW,
  );

  it(
    'restarts on the same port',
    async () => {
      const port = broker!.port;
      await broker!.restart!();
      expect(broker!.port).toBe(port);
      expect(natsInfo(await readFirstLine(port)).port).toBe(port);
    },
    SLOW,
  );

  it(
    'stop() ends the server',
    async () => {
      const port = broker!.port;
      await broker!.stop();
      broker = undefined;
      await waitUntilClosed(port, 5_000);
    },
    SLOW,
  );
});

// A test process can be killed outright (a timeout, a crashed worker): its private brokers must not outlive it.
describe.skipIf(!ownNats)('a private broker whose test process is killed', () => {
  it(
    'ends with it',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-brokers-test-'));
      const harness = fileURLToPath(new URL('./brokers.ts', import.meta.url));
      const script = path.join(dir, 'orphan.mts');
      await writeFile(
        script,
        `import { privateNats } from ${JSON.stringify(harness)};\n` +
          `const b = await privateNats();\nconsole.log(b?.port);\nsetInterval(() => undefined, 1_000);\n`,
      );
      // TMPDIR puts the orphan's broker files inside our directory, which we remove.
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, TMPDIR: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          child.stdout.setEncoding('utf8');
          child.stdout.once('data', (line: string) => resolve(Number.parseInt(line, 10)));
          child.once('exit', (code) => reject(new Error(`orphan script exited early (${String(code)})`)));
        });
        expect(await portAnswers(port)).toBe(true);
        child.kill('SIGKILL');
        await waitUntilClosed(port, 10_000);
      } finally {
        child.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
