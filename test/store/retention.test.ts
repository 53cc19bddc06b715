// Retention against a real DuckDB file: old raw rows go to Parquet (one file per table and Hanoi day) and leave the
// tables; recent rows stay; rollups outlive raw data; events older than the retention are dead-lettered as late.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { retentionCutoff, runRetention } from '../../engine/store/retention.ts';
import { bytes, camera, sensor } from '../support/events.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-27T10:00:00+07:00');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-retention-'));
  store = await openStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ingest(events: { family: string; e: Record<string, unknown> }[]): Promise<void> {
  const b = new Batcher(store.writer, { batchRows: 100_000, batchAgeMs: 10 }, () => undefined, createLogger('silent'));
  for (const { family, e } of events) {
    const payload = bytes(e);
    b.push(
      {
        source: 'test',
        topic: `city/${family}/x`,
        payload,
        receivedAt: Date.parse(e.ts as string),
        ack: () => undefined,
      },
      decodeMessage(family, payload, Date.parse(e.ts as string), {
        maxPayloadBytes: 1 << 20,
        maxFutureMs: DAY,
        locate: () => 'ba_dinh',
      }),
    );
  }
  await b.close();
}
const count = async (sql: string) => (await store.reader.objects<{ n: number }>(sql))[0]!.n;

describe('retention', () => {
  it('cuts at Hanoi midnight', () => {
    expect(new Date(retentionCutoff(NOW, 7)).toISOString()).toBe('2026-11-19T17:00:00.000Z'); // 2026-11-20 00:00 +07:00
  });

  it('archives old raw rows to Parquet per Hanoi day, deletes them, keeps recent rows and longer-lived rollups', async () => {
    const at = (daysAgo: number, i: number) => new Date(NOW - daysAgo * DAY + i * 60_000).toISOString();
    await ingest([
      ...[0, 1, 2].map((i) => ({ family: 'camera', e: camera(i, { ts: at(10, i) }) })),
      ...[3, 4].map((i) => ({ family: 'camera', e: camera(i, { ts: at(9, i) }) })),
      ...[5, 6].map((i) => ({ family: 'camera', e: camera(i, { ts: at(1, i) }) })),
      { family: 'sensor', e: sensor(1, 'air', { ts: at(12, 0) }) },
    ]);
    await store.writer.run(`CREATE TABLE old_rollup (t TIMESTAMPTZ, area VARCHAR, value DOUBLE)`);
    await store.writer.run(
      `INSERT INTO old_rollup VALUES (now() - INTERVAL 500 DAY, 'hanoi', 1), (now() - INTERVAL 300 DAY, 'hanoi', 2)`,
    );

    const report = await runRetention(
      store.writer,
      ['old_rollup'],
      { rawDays: 7, rollupDays: 400, archiveDir: store.archiveDir },
      NOW,
    );
    expect(report.deletedRows).toEqual({ camera_events: 5, sensor_events: 1, old_rollup: 1 });
    expect(readdirSync(join(store.archiveDir, 'camera_events')).sort()).toEqual([
      '2026-11-17.parquet',
      '2026-11-18.parquet',
    ]);
    expect(readdirSync(join(store.archiveDir, 'sensor_events'))).toEqual(['2026-11-15.parquet']);
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(2);
    // The archive is readable with SQL (the one folder SQL may touch) and holds every deleted row with its columns.
    const archived = await store.reader.objects<{ id: string; car: number; area: string }>(
      `SELECT id, car, area FROM read_parquet('${join(store.archiveDir, 'camera_events')}/*.parquet') ORDER BY id`,
    );
    expect(archived.map((r) => r.id)).toEqual(['cam-0-0', 'cam-1-1', 'cam-2-2', 'cam-3-3', 'cam-4-4']);
    expect(archived[0]).toMatchObject({ car: 3, area: 'ba_dinh' });

    // Running again changes nothing and loses nothing.
    const again = await runRetention(
      store.writer,
      ['old_rollup'],
      { rawDays: 7, rollupDays: 400, archiveDir: store.archiveDir },
      NOW,
    );
    expect(again.deletedRows).toEqual({});
  });

  it('still refuses other files', async () => {
    await expect(store.reader.query(`SELECT * FROM read_csv('/etc/passwd')`)).rejects.toThrow(/Permission|disabled/i);
    await expect(store.writer.run(`COPY (SELECT 1) TO '${join(dir, 'x.csv')}'`)).rejects.toThrow(
      /Permission|disabled/i,
    );
  });

  it('dead-letters an event older than the retention as late', () => {
    const old = camera(1, { ts: new Date(NOW - 8 * DAY).toISOString() });
    const r = decodeMessage('camera', bytes(old), NOW, {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: DAY,
      retainRawDays: 7,
      locate: () => null,
    });
    expect(r.rows).toEqual([]);
    expect(r.rejects[0]!.reason).toMatch(/^late: .*older than the raw retention of 7 days \(RETAIN_RAW_DAYS\)/);
    const recent = decodeMessage('camera', bytes(camera(1, { ts: new Date(NOW - 6 * DAY).toISOString() })), NOW, {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: DAY,
      retainRawDays: 7,
      locate: () => null,
    });
    expect(recent.rows).toHaveLength(1);
  });
});
