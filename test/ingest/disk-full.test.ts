// A full disk under a running engine (its data folder on a small tmpfs): commits fail, nothing is acknowledged (the
// JetStream consumer's ack floor stands still), the status and one log line say why, and once space returns every
// event lands exactly once without anyone stepping in. Also: checkpoints wait for space instead of invalidating the
// database, which DuckDB does when a checkpoint finds the disk full.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  rmSync,
  statfsSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { guardCheckpoints } from '../../engine/store/checkpoints.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { bytes, camera } from '../support/events.ts';

let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let jsm: JetStreamManager;
const mounts: string[] = [];
let noMount: string | null = null;
const MOUNT = '/usr/bin/mount';
const UMOUNT = '/usr/bin/umount';

/** A folder on a tmpfs of `size`; null (and why, in noMount) where this process may not mount. */
function smallDisk(size: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-disk-full-'));
  try {
    execFileSync(MOUNT, ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    noMount = `cannot mount a size-limited tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}): needs root or CAP_SYS_ADMIN`;
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  mounts.push(dir);
  return dir;
}

/** Fills the file system of `dir` with one file, up to the last byte or all but `leave` bytes; returns it. */
function fill(dir: string, leave = 0): string {
  const file = join(dir, 'ballast');
  writeFileSync(file, '');
  for (const chunk of [1 << 20, 4096, 1]) {
    const block = Buffer.alloc(chunk);
    try {
      for (;;) appendFileSync(file, block);
    } catch {
      /* ENOSPC: next, smaller blocks */
    }
  }
  if (leave > 0) truncateSync(file, Math.max(0, statSync(file).size - leave));
  return file;
}

const free = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

beforeAll(async () => {
  broker = await privateNats();
  if (!broker) return;
  nc = await connect({ servers: broker.url });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await broker?.stop();
  for (const dir of mounts) {
    try {
      execFileSync(UMOUNT, ['-l', dir], { stdio: 'pipe' });
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('disk full under a running engine (JetStream)', () => {
  let engine: TestEngine | undefined;
  afterEach(async () => {
    await engine?.dispose();
  });

  it('stops acknowledging, says so once, and stores everything exactly once when space returns', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const dir = smallDisk('32m');
    if (!dir) {
      console.warn(`skipped: ${noMount}`);
      return ctx.skip();
    }
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const stream = `DISKFULL_${process.pid}`;
    const consumer = 'ioc-disk-full';
    engine = await startTestEngine(
      { dataDir: dir, natsUrl: broker!.url, natsStream: stream, natsConsumer: consumer, natsAckWaitMs: 2000 },
      { log: createLogger('info', {}, false, sink) },
    );
    const js = jetstream(nc);
    const base = Date.now() - 3_600_000;
    const publish = async (from: number, to: number) => {
      const acks: Promise<unknown>[] = [];
      for (let i = from; i < to; i++)
        acks.push(
          js.publish(
            `city.camera.c${i % 8}`,
            JSON.stringify(camera(i, { id: `df-${i}`, ts: new Date(base + i * 100).toISOString() })),
          ),
        );
      await Promise.all(acks);
    };
    const stored = async () =>
      (
        await engine!.store.reader.objects<{ n: number; ids: number }>(
          "SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM camera_events WHERE id LIKE 'df-%'",
        )
      )[0]!;
    const ackFloor = async () => (await jsm.consumers.info(stream, consumer)).ack_floor.stream_seq;

    await publish(0, 1000);
    await until(ackFloor, (n) => n === 1000);
    expect(engine.batcher.storage.ok).toBe(true);

    const ballast = fill(dir);
    expect(free(dir)).toBe(0);
    await publish(1000, 3000);
    const failing = await until(
      () => ({ ...engine!.batcher.storage }),
      (s) => !s.ok && s.failedCommits >= 3,
      15_000,
    );
    expect(failing.lastError).toMatch(/^disk full: .*No space left on device/);
    expect(failing.failingSince).toBeGreaterThan(Date.now() - 20_000);
    expect(engine.batcher.stats.storage).toBe(engine.batcher.storage);
    // Nothing of what failed is acknowledged: the stream keeps it.
    expect(await ackFloor()).toBe(1000);
    expect((await stored()).n).toBe(1000);
    // The metric counts a failed batch once its messages are handed back, a moment after the commit's own count.
    const failedBatches = async () =>
      Number(/^ioc_batches_failed_total (\d+)/m.exec(await (await fetch(`${engine!.url}/metrics`)).text())?.[1]);
    expect(await until(failedBatches, (n) => n >= 3, 10_000)).toBeGreaterThanOrEqual(3);
    const failingLines = lines.filter((l) => String(l.msg).startsWith('storage failing'));
    expect(failingLines).toHaveLength(1);
    expect(failingLines[0]).toMatchObject({ level: 'error', msg: expect.stringContaining('(disk full)') });

    unlinkSync(ballast);
    const done = await until(stored, (s) => s.n >= 3000, 30_000);
    expect(done).toEqual({ n: 3000, ids: 3000 });
    await until(ackFloor, (n) => n === 3000, 15_000);
    expect(engine.batcher.storage).toMatchObject({ ok: true, failingSince: null, failedCommits: 0 });
    expect(lines.filter((l) => String(l.msg).startsWith('storage failing'))).toHaveLength(1);
    expect(lines.filter((l) => String(l.msg).startsWith('storage is back'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored()).toEqual({ n: 3000, ids: 3000 });
  });
});

describe('checkpoints on a nearly full disk', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close().catch(() => undefined);
    store = undefined;
  });

  const log = createLogger('silent');
  /** Commits `n` batches of 500 camera events through a batcher; returns how many commits failed. */
  async function commit(s: Store, from: number, n: number): Promise<{ failed: number }> {
    let failed = 0;
    const b = new Batcher(
      s.writer,
      { batchRows: 1_000_000, batchAgeMs: 60_000, onFailed: () => failed++ },
      () => undefined,
      log,
    );
    for (let k = 0; k < n; k++) {
      const events = Array.from({ length: 500 }, (_, j) => {
        const i = from + k * 500 + j;
        return camera(i, {
          id: `cp-${i}`,
          ts: new Date(Date.now() - 3_600_000 + i).toISOString(),
          note: randomBytes(150).toString('hex'),
        });
      });
      const payload = bytes(events);
      const at = Date.now();
      b.push(
        { source: 'test', topic: 'city/camera/c', payload, receivedAt: at, ack: () => undefined },
        decodeMessage('camera', payload, at, {
          maxPayloadBytes: 1 << 24,
          maxFutureMs: 3_600_000,
          locate: () => 'hoan_kiem',
        }),
      );
      await b.flush();
    }
    return { failed };
  }
  const count = async (s: Store) =>
    (await s.reader.objects<{ n: number }>("SELECT count(*)::INTEGER AS n FROM camera_events WHERE id LIKE 'cp-%'"))[0]!
      .n;

  it('waits for space instead of checkpointing into a full disk, then catches up by itself', async (ctx) => {
    const dir = smallDisk('24m');
    if (!dir) {
      console.warn(`skipped: ${noMount}`);
      return ctx.skip();
    }
    store = await openStore({ dataDir: dir });
    // DuckDB's own trigger at the WAL sizes of this test (its default, 16 MiB, would need a larger disk): the guard
    // must take it over, or the next test's invalidation happens here.
    const conn = await store.db.connect();
    await conn.run("SET GLOBAL checkpoint_threshold = '512KiB'");
    conn.close();
    const guard = await guardCheckpoints(store, log, { walBytes: 512 * 1024, reserveBytes: 1 << 20, everyMs: 50 });
    await commit(store, 0, 4);
    await guard.check();
    expect(guard.stats.checkpoints).toBeGreaterThanOrEqual(1);

    // The WAL passes the threshold as the disk fills up: the guard defers, commits then fail alone, and the database
    // stays usable.
    const ballast = fill(dir, 900 * 1024);
    const { failed } = await commit(store, 2000, 8);
    await guard.check();
    expect(failed).toBeGreaterThan(0);
    expect(guard.stats.deferred).toBeGreaterThan(0);
    expect(guard.stats.failures).toBe(0);
    const before = await count(store);

    unlinkSync(ballast);
    const checkpoints = guard.stats.checkpoints;
    expect((await commit(store, 10_000, 2)).failed).toBe(0);
    await guard.check();
    expect(guard.stats.checkpoints).toBe(checkpoints + 1);
    expect(await count(store)).toBe(before + 1000);
    await guard.stop();
  });

  it('(why) DuckDB left to checkpoint by itself invalidates the database when the disk is full', async (ctx) => {
    const dir = smallDisk('24m');
    if (!dir) {
      console.warn(`skipped: ${noMount}`);
      return ctx.skip();
    }
    store = await openStore({ dataDir: dir });
    const conn = await store.db.connect();
    await conn.run("SET GLOBAL checkpoint_threshold = '512KiB'");
    conn.close();
    const ballast = fill(dir, 640 * 1024);
    // Commits that fit the WAL, until one takes it past the threshold and DuckDB checkpoints into the full disk.
    await commit(store, 0, 8);
    unlinkSync(ballast);
    await expect(store.reader.objects('SELECT count(*) FROM camera_events')).rejects.toThrow(/invalidated/);
  });
});
