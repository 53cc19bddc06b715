// Repeats are found among the stored rows of a batch's own stretches of event time, without an index on id.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeOptions } from '../../engine/decode.ts';
import { Database } from '../../engine/db.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { timeRanges } from '../../engine/store/dedup.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { bytes, camera, T0 } from '../support/events.ts';

const opts: DecodeOptions = { maxPayloadBytes: 1 << 20, maxFutureMs: 3_600_000, locate: () => 'hoan_kiem' };
const log = createLogger('silent');
const HOUR = 3_600_000;

function feed(batcher: Batcher, events: Record<string, unknown>[]): void {
  const msg: RawMessage = {
    source: 'test',
    topic: 'city/camera/a',
    payload: bytes(events),
    receivedAt: T0 + 4 * HOUR,
    ack: () => undefined,
  };
  batcher.push(msg, decodeMessage('camera', msg.payload, msg.receivedAt, opts));
}
const at = (i: number, ms: number) => camera(i, { ts: new Date(ms).toISOString() });
const stored = async (store: Store) =>
  (
    await store.reader.objects<{ n: number; ids: number }>(
      'SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM camera_events',
    )
  )[0];

describe('time ranges of a batch', () => {
  it('joins stretches less than a second apart and keeps far ones apart', () => {
    expect(
      timeRanges([
        [1000, 2000],
        [2500, 3000],
        [60_000, 60_000],
      ]),
    ).toEqual([
      [1000, 3001],
      [60_000, 60_001],
    ]);
  });

  it('holds at most 32 stretches, split at the widest gaps', () => {
    const spans = Array.from({ length: 100 }, (_, i): [number, number] => [
      i * 60_000 + (i === 50 ? 10 * HOUR : 0),
      i * 60_000 + 10 + (i === 50 ? 10 * HOUR : 0),
    ]);
    const ranges = timeRanges(spans);
    expect(ranges.length).toBeLessThanOrEqual(32);
    // Every span lies inside a range.
    for (const [a, b] of spans) expect(ranges.some(([from, to]) => from <= a && b < to)).toBe(true);
    // The far outlier is a range of its own.
    expect(ranges).toContainEqual([50 * 60_000 + 10 * HOUR, 50 * 60_000 + 10 * HOUR + 11]);
  });
});

describe('dedup without a key', () => {
  it('stores a repeat once however far its time is from the rest of its batch, and the first of repeats within a batch', async () => {
    const store = await openStore({ dataDir: '.', dbFile: ':memory:' });
    const batcher = new Batcher(store.writer, { batchRows: 100_000, batchAgeMs: 60_000 }, () => undefined, log);
    const late = at(900, T0 - 3 * HOUR);
    feed(batcher, [at(1, T0), at(2, T0 + 10), late]);
    await batcher.flush();
    // A live batch carrying a redelivered late event, a redelivered live one, and one id twice (the first wins).
    feed(batcher, [
      at(3, T0 + HOUR),
      late,
      at(2, T0 + 10),
      { ...at(4, T0 + HOUR), avgSpeedKmh: 10 },
      { ...at(4, T0 + HOUR), avgSpeedKmh: 99 },
    ]);
    await batcher.flush();
    expect(await stored(store)).toEqual({ n: 5, ids: 5 });
    expect(batcher.stats.duplicates).toBe(3);
    expect(
      (
        await store.reader.objects<{ v: number }>("SELECT avg_speed_kmh AS v FROM camera_events WHERE id = 'cam-4-4'")
      )[0]!.v,
    ).toBe(10);
    await batcher.close();
    await store.close();
  });

  it('keeps INSERT OR IGNORE on a table an earlier version made with a primary key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ioc-dedup-'));
    const file = path.join(dir, 'ioc.duckdb');
    const db = await Database.open(file, {});
    const conn = await db.connect();
    await conn.run(`CREATE TABLE camera_events (id VARCHAR PRIMARY KEY, ts TIMESTAMPTZ NOT NULL, camera_id VARCHAR, lat DOUBLE, lon DOUBLE, car INTEGER,
      motorbike INTEGER, bus INTEGER, truck INTEGER, bicycle INTEGER, pedestrian INTEGER, interval_s INTEGER, avg_speed_kmh DOUBLE, occupancy DOUBLE,
      queue_m DOUBLE, incident_type VARCHAR, incident_confidence DOUBLE, area VARCHAR, extra JSON, received_at TIMESTAMPTZ)`);
    conn.close();
    db.close();
    const store = await openStore({ dataDir: dir });
    const batcher = new Batcher(store.writer, { batchRows: 100_000, batchAgeMs: 60_000 }, () => undefined, log);
    feed(batcher, [at(1, T0)]);
    await batcher.flush();
    // Another time for the same id: the old key still refuses it.
    feed(batcher, [at(1, T0 + HOUR), at(2, T0)]);
    await batcher.flush();
    expect(await stored(store)).toEqual({ n: 2, ids: 2 });
    await batcher.close();
    await store.close();
  });
});
