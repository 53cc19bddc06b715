// The source registry and the data_quality view, fed through the real batcher: received, stored, duplicates,
// rejects and lag per source and day, and the four scores computed from them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { bytes, camera, service } from '../support/events.ts';

const DAY_START = Date.parse('2026-11-20T00:00:00+07:00');
let store: Store;
let batcher: Batcher;

function send(topic: string, payload: unknown, receivedAt: number): void {
  const raw = payload instanceof Uint8Array ? payload : bytes(payload);
  batcher.push(
    { source: 'test', topic, payload: raw, receivedAt, ack: () => undefined },
    decodeMessage(topic.split('/')[1], raw, receivedAt, {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: 3_600_000,
      locate: () => 'dong_da',
    }),
  );
}

beforeEach(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  batcher = new Batcher(store.writer, { batchRows: 1000, batchAgeMs: 10 }, () => undefined, createLogger('silent'));
});
afterEach(async () => {
  await batcher.close();
  await store.close();
});

describe('sources and data quality', () => {
  it('registers each source with its kind, area and last report', async () => {
    send(
      'city/camera/cam-1',
      camera(1, { cameraId: 'cam-1', ts: new Date(DAY_START + 3_600_000).toISOString() }),
      DAY_START + 3_600_000,
    );
    send(
      'city/camera/cam-1',
      camera(2, { cameraId: 'cam-1', ts: new Date(DAY_START + 7_200_000).toISOString(), area: 'tay_ho' }),
      DAY_START + 7_200_000,
    );
    send('city/service/ubnd', service(1, { agency: 'ubnd-ba-dinh', ts: new Date(DAY_START).toISOString() }), DAY_START);
    await batcher.flush();
    const rows = await store.reader.objects(
      `SELECT family, id, kind, area, epoch_ms(last_ts) AS last_ts FROM devices ORDER BY family, id`,
    );
    expect(rows).toEqual([
      { family: 'camera', id: 'cam-1', kind: 'camera', area: 'tay_ho', last_ts: DAY_START + 7_200_000 },
      { family: 'service', id: 'ubnd-ba-dinh', kind: 'agency', area: 'dong_da', last_ts: DAY_START },
    ]);
  });

  it('scores accuracy, completeness, cleanliness and liveness per source and day', async () => {
    // cam-1: 6 hours of on-time reports, one of them sent twice, and one rejected message.
    for (let h = 0; h < 6; h++) {
      const ts = DAY_START + h * 3_600_000;
      send(
        'city/camera/cam-1',
        camera(h, { cameraId: 'cam-1', id: `c1-${h}`, ts: new Date(ts).toISOString() }),
        ts + 2_000,
      );
    }
    send(
      'city/camera/cam-1',
      camera(0, { cameraId: 'cam-1', id: 'c1-0', ts: new Date(DAY_START).toISOString() }),
      DAY_START + 10_000,
    );
    send('city/camera/cam-1', '{"broken', DAY_START + 20_000);
    // cam-2: every hour, each event half an hour late on arrival.
    for (let h = 0; h < 24; h++) {
      const ts = DAY_START + h * 3_600_000;
      send(
        'city/camera/cam-2',
        camera(100 + h, { cameraId: 'cam-2', id: `c2-${h}`, ts: new Date(ts).toISOString() }),
        ts + 1_830_000,
      );
    }
    await batcher.flush();
    const q = await store.reader.objects<
      Record<string, number | string>
    >(`SELECT id, received, stored, duplicates, rejected, hours, lag_s,
      accuracy, completeness, cleanliness, liveness, score FROM data_quality WHERE day = DATE '2026-11-20' ORDER BY id`);
    expect(q[0]).toMatchObject({
      id: 'cam-1',
      received: 7,
      stored: 6,
      duplicates: 1,
      rejected: 1,
      hours: 6,
      accuracy: 0.875,
      completeness: 0.25,
      cleanliness: 0.75,
      liveness: 1,
    });
    expect(q[0]!.score).toBeCloseTo((0.875 + 0.25 + 0.75 + 1) / 4, 4);
    expect(q[1]).toMatchObject({
      id: 'cam-2',
      received: 24,
      stored: 24,
      duplicates: 0,
      rejected: 0,
      hours: 24,
      accuracy: 1,
      completeness: 1,
      cleanliness: 1,
      lag_s: 1830,
    });
    expect(q[1]!.liveness).toBeCloseTo(1 - (1830 - 60) / 3540, 4);
  });
});
