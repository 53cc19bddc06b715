// Backup and restore on JetStream (a private nats-server): a backup taken mid-stream while events keep coming, the
// engine stopped and its data folder destroyed, `ioc restore` into a new folder, the engine started on it: it replays
// only what came after the backup's stream sequence, and every event is stored exactly once.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, restoreCommand } from '../../bin/backup.ts';
import { authenticate, type AccessEnv } from '../../engine/access/index.ts';
import { createLogger } from '../../engine/log.ts';
import { backupRoutes } from '../../engine/serve/backup.ts';
import type { Manifest } from '../../engine/store/backup.ts';
import { Backups } from '../../engine/store/backups.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera } from '../support/events.ts';

const TOTAL = 30_000;
const STREAM = `BACKUP_${process.pid}`;
const CONSUMER = 'ioc-backup-e2e';
let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let jsm: JetStreamManager;
const scratch = mkdtempSync(join(tmpdir(), 'ioc-backup-e2e-'));
const engines: TestEngine[] = [];

beforeAll(async () => {
  broker = await privateNats();
  if (!broker) return;
  nc = await connect({ servers: broker.url });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  for (const e of engines) await e.dispose().catch(() => undefined);
  await nc?.close();
  await broker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const stored = async (e: TestEngine): Promise<{ n: number; ids: number }> => {
  const [row] = await e.store.reader.objects<{ n: number; ids: number }>(
    "SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM camera_events WHERE id LIKE 'br-%'",
  );
  return row!;
};

/** Silences what the commands print, and keeps it for the assertions. */
async function captured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await run(), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('backup mid-stream, destroy, restore', () => {
  it('stores every event exactly once, replaying from JetStream only what came after the backup', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const nats = { natsUrl: broker!.url, natsStream: STREAM, natsConsumer: CONSUMER, natsAckWaitMs: 2000 };
    const first = await startTestEngine(nats);
    engines.push(first);
    // The backup routes over HTTP, as the engine serves them, for `ioc backup`.
    const log = createLogger('silent');
    const backups = await Backups.open(
      first.store,
      { root: join(first.dir, 'backups'), sources: first.sources, tokensFile: null },
      log,
    );
    const app = new Hono<AccessEnv>();
    app.use('*', authenticate(undefined));
    app.route('/api/backup', backupRoutes(backups));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const js = jetstream(nc);
    const base = Date.now() - 3_600_000;
    let published = 0;
    // Kept a few thousand ahead of whichever engine is consuming, so that the backup falls in the middle of the stream.
    let consuming: TestEngine | null = first;
    const publishing = (async () => {
      while (published < TOTAL) {
        while (consuming && published - (await stored(consuming)).n > 4000) await new Promise((r) => setTimeout(r, 20));
        const batch: Promise<unknown>[] = [];
        for (let k = 0; k < 500 && published < TOTAL; k++, published++)
          batch.push(
            js.publish(
              `city.camera.c${published % 16}`,
              JSON.stringify(
                camera(published, { id: `br-${published}`, ts: new Date(base + published * 10).toISOString() }),
              ),
            ),
          );
        await Promise.all(batch);
      }
    })();

    await until(
      () => stored(first),
      (s) => s.n >= TOTAL / 4,
      30_000,
    );
    const dir = join(scratch, 'backup');
    const began = performance.now();
    const publishedBefore = published;
    const backedUp = await captured(() => backupCommand([dir, '--url', url], { PATH: process.env.PATH }));
    const backupMs = performance.now() - began;
    const publishedDuring = published - publishedBefore;
    expect(backedUp.err).toBe('');
    expect(backedUp.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'backup.json'), 'utf8')) as Manifest;
    const seq = manifest.stream!.seq;
    const inBackup = manifest.tables.find((t) => t.name === 'camera_events')!.rows;
    expect(manifest.stream).toMatchObject({ name: STREAM, consumer: CONSUMER });
    // Everything up to the sequence is in the backup; a few more may be (they come again and are dropped as repeats).
    expect(seq).toBeGreaterThan(0);
    expect(inBackup).toBeGreaterThanOrEqual(seq);
    expect(seq).toBeLessThan(TOTAL / 2);
    expect(publishedDuring).toBeGreaterThan(0);

    // Ingestion went on during the backup; then the engine stops and its data folder is lost.
    await until(
      () => stored(first),
      (s) => s.n >= TOTAL / 2,
      30_000,
    );
    consuming = null;
    server.close();
    await backups.close();
    await first.dispose();
    const target = join(scratch, 'restored');
    const restored = await captured(() =>
      restoreCommand([dir, '--data-dir', target], {
        PATH: process.env.PATH,
        NATS_URL: broker!.url,
        NATS_STREAM: STREAM,
        NATS_CONSUMER: CONSUMER,
        NATS_ACK_WAIT_MS: '2000',
      }),
    );
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`consumer ${CONSUMER} of ${STREAM} starts again at sequence ${seq + 1}`);
    const consumer = await jsm.consumers.info(STREAM, CONSUMER);
    expect(consumer.config.opt_start_seq).toBe(seq + 1);
    expect(consumer.config.ack_policy).toBe('all');

    const second = await startTestEngine({ ...nats, dataDir: target });
    engines.push(second);
    // Its acknowledgements move past the backup's sequence: it commits what it replays.
    await until(
      async () => (await jsm.consumers.info(STREAM, CONSUMER)).ack_floor.stream_seq,
      (n) => n > seq,
      15_000,
    );
    await publishing;
    const final = await until(
      () => stored(second),
      (s) => s.n >= TOTAL,
      60_000,
    );
    // Give a stray repeat the time to show.
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored(second)).toEqual({ n: TOTAL, ids: TOTAL });
    expect(final.ids).toBe(TOTAL);
    // Only what came after the sequence was delivered again, not the stream from its start.
    const replayed = second.batcher.stats.messages;
    expect(replayed).toBeGreaterThanOrEqual(TOTAL - seq);
    expect(replayed).toBeLessThan(TOTAL - seq + 1000);
    expect(second.batcher.stats.duplicates).toBe(inBackup - seq);
    await until(
      async () => (await jsm.consumers.info(STREAM, CONSUMER)).ack_floor.stream_seq,
      (n) => n === TOTAL,
      20_000,
    );
    // A restore the stream cannot complete is refused before anything is touched: another stream, or one that no
    // longer holds what came after the backup.
    const natsEnv = { PATH: process.env.PATH, NATS_URL: broker!.url, NATS_CONSUMER: CONSUMER };
    const elsewhere = await captured(() =>
      restoreCommand([dir, '--data-dir', join(scratch, 'other')], { ...natsEnv, NATS_STREAM: 'CITY' }),
    );
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toContain(`the backup covers stream ${STREAM}, this engine reads CITY`);
    await jsm.streams.purge(STREAM, { seq: seq + 100 });
    const gone = await captured(() =>
      restoreCommand([dir, '--data-dir', join(scratch, 'other')], { ...natsEnv, NATS_STREAM: STREAM }),
    );
    expect(gone.code).toBe(1);
    expect(gone.err).toContain(`messages ${seq + 1}–${seq + 99}, after the backup, are gone`);
    expect(existsSync(join(scratch, 'other'))).toBe(false);
    expect((await jsm.consumers.info(STREAM, CONSUMER)).config.opt_start_seq).toBe(seq + 1);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    console.log(
      `backup of ${inBackup} events at sequence ${seq} (${publishedDuring} published meanwhile): snapshot ${manifest.tookMs} ms, ioc backup ${Math.round(backupMs)} ms, ` +
        `${(bytes / 1e6).toFixed(1)} MB; after restore ${replayed} messages replayed, ${second.batcher.stats.duplicates} already held`,
    );
  }, 120_000);
});
