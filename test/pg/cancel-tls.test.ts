// A CancelRequest stops the running statement (its connection goes on); TLS when PG_TLS_CERT/PG_TLS_KEY are set;
// the door's limits: connections, message size, a login that never comes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psql, startDoorEngine, type DoorEngine } from './door.ts';

let engine: DoorEngine;
const certs = mkdtempSync(join(tmpdir(), 'ioc-pg-tls-'));

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(certs, 'key.pem'),
      '-out',
      join(certs, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  engine = await startDoorEngine(
    {
      sqlExportTimeoutMs: 60_000,
      pgTlsCert: join(certs, 'cert.pem'),
      pgTlsKey: join(certs, 'key.pem'),
      pgMaxConnections: 4,
      pgMaxMessageBytes: 64 * 1024,
      pgAuthTimeoutMs: 500,
    },
    5,
  );
}, 60_000);
afterAll(async () => {
  await engine?.dispose();
  rmSync(certs, { recursive: true, force: true });
});

const connect = async (ssl?: pg.ClientConfig['ssl']): Promise<pg.Client> => {
  const client = new pg.Client({ host: '127.0.0.1', port: engine.pgPort, user: 'analyst', database: 'ioc', ssl });
  await client.connect();
  return client;
};

describe('cancel', () => {
  it('stops a running statement with 57014 and the connection goes on', async () => {
    const client = await connect();
    try {
      const started = performance.now();
      const running = client.query('SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3');
      await new Promise((r) => setTimeout(r, 700));
      // node-postgres's own cancel (untyped): a new connection sends CancelRequest with the client's backend key.
      const canceller = new pg.Client({ host: '127.0.0.1', port: engine.pgPort }) as unknown as {
        cancel(client: pg.Client, query: unknown): void;
      };
      canceller.cancel(client, (client as unknown as { activeQuery: unknown }).activeQuery);
      await expect(running).rejects.toMatchObject({ code: '57014' });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.end();
    }
  }, 30_000);
});

describe('TLS', () => {
  it('serves psql with sslmode=require', async () => {
    const out = await psql(engine.pgPort, ['SELECT ssl FROM (SELECT true AS ssl)'], {
      conninfo: `host=127.0.0.1 port=${engine.pgPort} user=analyst dbname=ioc sslmode=require`,
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/ t\n/);
  });

  it('serves node-postgres over TLS', async () => {
    const client = await connect({ rejectUnauthorized: false });
    try {
      expect(
        (client as unknown as { connection: { stream: { encrypted?: boolean } } }).connection.stream.encrypted,
      ).toBe(true);
      expect((await client.query('SELECT count(*)::INTEGER AS n FROM camera_events')).rows).toEqual([{ n: 5 }]);
    } finally {
      await client.end();
    }
  });
});

describe('limits', () => {
  it('refuses connections past PG_MAX_CONNECTIONS with 53300', async () => {
    const held = await Promise.all([connect(), connect(), connect(), connect()]);
    try {
      await expect(connect()).rejects.toMatchObject({ code: '53300' });
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
  });

  it('ends a connection that sends a message over PG_MAX_MESSAGE_BYTES, and the engine carries on', async () => {
    const client = await connect();
    client.on('error', () => undefined);
    await expect(client.query(`SELECT '${'x'.repeat(100 * 1024)}' AS big`)).rejects.toThrow(/PG_MAX_MESSAGE_BYTES/);
    const again = await connect();
    expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await again.end();
  });

  it('closes a connection that never logs in', async () => {
    const socket = net.connect(engine.pgPort, '127.0.0.1');
    const closed = await new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.on('error', () => undefined);
      // Reading is what lets the client see the server's end of the connection.
      socket.resume();
      socket.on('close', () => resolve(performance.now() - t0));
    });
    expect(closed).toBeLessThan(5_000);
  });
});
