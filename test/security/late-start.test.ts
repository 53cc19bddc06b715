// An incident's indicators count it on the day of its first report, from the earliest start any of its events gives:
// an event a day later that moves the start re-counts the earlier day, which no event of that day touched; a first
// report arriving after the resolution moves the incident to the earlier day, and the later day's row goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { loadViews, Rollups } from '../../engine/views/index.ts';
import { readSeries } from '../../engine/views/series.ts';
import type { IndicatorChange } from '../../dashboards/shared/wire/index.ts';
import { bytes, security } from '../support/events.ts';

const log = createLogger('silent');
const DAY1 = '2026-11-27T';
const DAY2 = '2026-11-28T';
let store: Store;
let rollups: Rollups;
let batcher: Batcher;

beforeAll(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  const views = loadViews().filter((v) => v.name === 'security_detected_1h' || v.name === 'security_detected_1h_7d');
  rollups = new Rollups(await store.db.connect(), views, log);
  await rollups.init();
  batcher = new Batcher(store.writer, { batchRows: 10_000, batchAgeMs: 60_000 }, (c) => rollups.onCommit(c), log);
});
afterAll(async () => {
  await batcher?.close();
  await store?.close();
});

async function send(event: Record<string, unknown>): Promise<IndicatorChange[]> {
  const payload = bytes(event);
  const receivedAt = Date.parse(event.ts as string);
  const limits = { maxPayloadBytes: 1 << 20, maxFutureMs: 86_400_000, locate: () => null };
  batcher.push(
    { source: 'test', topic: 'city/security/siem', payload, receivedAt, ack: () => undefined },
    decodeMessage('security', payload, receivedAt, limits),
  );
  await batcher.flush();
  return rollups.tick();
}
const day1 = () =>
  store.reader.objects<{ value: number; n: number }>(
    `SELECT value, n FROM security_detected_1h WHERE area = 'hanoi' AND t = '${DAY1}00:00:00+07:00'::TIMESTAMPTZ`,
  );

describe('security_detected_1h and a start that moves later', () => {
  it("re-counts the first report's day when a next-day event gives an earlier start", async () => {
    const ev = (i: number, ts: string, status: string, began: string) =>
      security(i, { id: `late-${i}`, incidentId: 'INC-LATE', ts: `${ts}+07:00`, status, detectedAt: `${began}+07:00` });
    await send(ev(1, `${DAY1}22:00:00`, 'detected', `${DAY1}21:30:00`));
    expect(await day1()).toEqual([{ value: 100, n: 1 }]);
    // The next morning the forensics find the attack began at 18:00: 4 h before the first report.
    await send(ev(2, `${DAY2}09:00:00`, 'confirmed', `${DAY1}18:00:00`));
    expect(await day1()).toEqual([{ value: 0, n: 1 }]);
  });

  it('deletes the later day when the first report arrives after the resolution, in the week view too', async () => {
    const ev = (i: number, ts: string, status: string) =>
      security(i, {
        id: `moved-${i}`,
        incidentId: 'INC-MOVED',
        ts: `${ts}+07:00`,
        status,
        detectedAt: '2026-11-10T23:00:00+07:00',
      });
    const rows = (view: string) =>
      store.reader.objects<{ t: string; n: number }>(
        `SELECT strftime(t AT TIME ZONE 'Asia/Ho_Chi_Minh', '%d') AS t, n FROM ${view}
         WHERE area = 'hanoi' AND t >= '2026-11-10T00:00:00+07:00'::TIMESTAMPTZ AND t < '2026-11-17T00:00:00+07:00'::TIMESTAMPTZ
         ORDER BY t`,
      );
    const day = (d: number) => ({ t: String(d), n: 1 });
    // The resolution, timed just after midnight, is all that came: the incident counts on the 11th.
    await send(ev(1, '2026-11-11T01:00:00', 'resolved'));
    expect(await rows('security_detected_1h')).toEqual([day(11)]);
    expect(await rows('security_detected_1h_7d')).toEqual([11, 12, 13, 14, 15, 16].map(day));
    // Its first report, timed before midnight, moves it to the 10th: the 11th has nothing left to count.
    const before = Date.now();
    const changes = await send(ev(2, '2026-11-10T23:30:00', 'detected'));
    expect(await rows('security_detected_1h')).toEqual([day(10)]);
    // The week ending on the 17th held the 11th alone (outside this query's range, checked apart).
    expect(await rows('security_detected_1h_7d')).toEqual([10, 11, 12, 13, 14, 15, 16].map(day));
    const [week17] = await store.reader.objects<{ n: number }>(
      `SELECT n FROM security_detected_1h_7d WHERE area = 'hanoi' AND t = '2026-11-17T00:00:00+07:00'::TIMESTAMPTZ`,
    );
    expect(week17).toBeUndefined();
    // The walls are told the windows went.
    const removed = (name: string) =>
      changes
        .filter((c) => c.name === name)
        .flatMap((c) => c.rows)
        .filter((r) => r.area === 'hanoi' && r.removed)
        .map((r) => r.t);
    expect(removed('security_detected_1h')).toEqual(['2026-11-10T17:00:00.000Z']);
    expect(removed('security_detected_1h_7d')).toEqual(['2026-11-16T17:00:00.000Z']);
    // So is a wall that asks what changed since (resynchronising after a failover): the deleted window first, marked
    // removed, then the windows written; asked from after the deletion, neither.
    const view = loadViews().find((v) => v.name === 'security_detected_1h')!;
    const since = async (ms: number) =>
      (
        await readSeries(store.reader, rollups, view, {
          area: 'hanoi',
          from: Date.parse('2026-11-01T00:00:00+07:00'),
          to: Date.parse('2026-11-20T00:00:00+07:00'),
          since: ms,
        })
      ).rows.map((r) => ({ t: r.t, removed: r.removed ?? false }));
    expect(await since(before)).toEqual([
      { t: '2026-11-10T17:00:00.000Z', removed: true },
      { t: '2026-11-09T17:00:00.000Z', removed: false },
    ]);
    expect(await since(Date.now() + 1000)).toEqual([]);
  });
});
