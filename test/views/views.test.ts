// The shipped views refreshed incrementally through the rollups (late events, re-opened windows), plus the view-file
// format; each view's golden result is checked by golden.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { isRolling, linkViews, loadViews, parseView, Rollups, type IndicatorChange } from '../../engine/views/index.ts';
import { parseRefTable } from '../../engine/views/tables.ts';
import { bytes, camera, sensor, service, T0 } from '../support/events.ts';

const log = createLogger('silent');
let store: Store;
let batcher: Batcher;
let rollups: Rollups;

async function feed(
  family: string,
  events: Record<string, unknown>[],
  locate: (lon: number, lat: number) => string | null = () => null,
): Promise<IndicatorChange[]> {
  const payload = bytes(events);
  batcher.push(
    { source: 'test', topic: `city/${family}/x`, payload, receivedAt: T0 + 3_600_000, ack: () => undefined },
    decodeMessage(family, payload, T0 + 3_600_000, { maxPayloadBytes: 1 << 22, maxFutureMs: 86_400_000, locate }),
  );
  await batcher.flush();
  return rollups.tick();
}
const series = (name: string, area: string) =>
  store.reader.objects<{ t: number; value: number; n: number }>(
    `SELECT epoch_ms(t) AS t, value, n FROM ${name} WHERE area = '${area}' ORDER BY t`,
  );

beforeEach(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  rollups = new Rollups(await store.db.connect(), loadViews(), log);
  await rollups.init();
  batcher = new Batcher(
    store.writer,
    { batchRows: 10_000, batchAgeMs: 10 },
    (c) => {
      rollups.onCommit(c);
    },
    log,
  );
});
afterEach(async () => {
  await batcher.close();
  await store.close();
});

const counts = (car: number, motorbike: number) => ({ car, motorbike, bus: 0, truck: 0, bicycle: 0, pedestrian: 7 });

describe('shipped views', () => {
  it('traffic_flow: vehicles per minute per area and city-wide (pedestrians excluded)', async () => {
    const changes = await feed('camera', [
      camera(1, { area: 'ba_dinh', counts: counts(2, 10), ts: T0 + 5_000 }),
      camera(2, { area: 'ba_dinh', counts: counts(1, 4), ts: T0 + 50_000 }),
      camera(3, { area: 'tay_ho', counts: counts(5, 5), ts: T0 + 59_999 }),
      camera(4, { area: 'tay_ho', counts: counts(1, 0), ts: T0 + 60_000 }),
    ]);
    expect(await series('traffic_flow', 'ba_dinh')).toEqual([{ t: T0, value: 17, n: 2 }]);
    expect(await series('traffic_flow', 'tay_ho')).toEqual([
      { t: T0, value: 10, n: 1 },
      { t: T0 + 60_000, value: 1, n: 1 },
    ]);
    expect(await series('traffic_flow', 'hanoi')).toEqual([
      { t: T0, value: 27, n: 3 },
      { t: T0 + 60_000, value: 1, n: 1 },
    ]);
    expect(changes.find((c) => c.name === 'traffic_flow')!.rows).toHaveLength(5);
  });

  it('traffic_flow: a late event re-opens only its own window, and only changed rows are reported', async () => {
    await feed('camera', [
      camera(1, { area: 'ba_dinh', counts: counts(1, 1), ts: T0 }),
      camera(2, { area: 'ba_dinh', counts: counts(1, 1), ts: T0 + 600_000 }),
    ]);
    const changes = await feed('camera', [camera(3, { area: 'ba_dinh', counts: counts(3, 0), ts: T0 + 1_000 })]);
    const flow = changes.find((c) => c.name === 'traffic_flow')!;
    expect(flow.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ t: new Date(T0).toISOString(), area: 'ba_dinh', value: 5, n: 2 }),
      ]),
    );
    expect(flow.rows.every((r) => r.t === new Date(T0).toISOString())).toBe(true);
    // Only camera views change, and of the rolling ones only those whose range covers the late minute.
    expect(changes.map((c) => c.name).sort()).toEqual([
      'avg_speed',
      'avg_speed_15m',
      'congestion_index',
      'incident_reports',
      'incidents_open',
      'traffic_flow',
      'traffic_flow_60m',
    ]);
    const sum = await store.reader.objects<{ raw: number; rolled: number }>(
      `SELECT (SELECT sum(car+motorbike+bus+truck+bicycle) FROM camera_events) AS raw, (SELECT sum(value) FROM traffic_flow WHERE area = 'hanoi') AS rolled`,
    );
    expect(sum[0]!.raw).toBe(sum[0]!.rolled);
  });

  it('traffic_flow_60m: no hop before it begins; the clock adds each hop as it begins, data or not', async () => {
    // Only Date is faked: the engine's clock says it is T0 + 10 min, DuckDB and the timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(T0 + 10 * 60_000 + 5_000);
      await feed('camera', [camera(1, { area: 'ba_dinh', counts: counts(3, 7), ts: T0 + 5_000 })]);
      const hops = async () => (await series('traffic_flow_60m', 'ba_dinh')).map((r) => (r.t - T0) / 60_000);
      expect(await hops()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Two minutes on, without an event: the two hops that began since carry the same last 60 minutes.
      vi.setSystemTime(T0 + 12 * 60_000 + 5_000);
      await rollups.tick();
      expect(await hops()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect((await series('traffic_flow_60m', 'ba_dinh')).at(-1)).toMatchObject({ value: 10, n: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('avg_speed: weighted by the vehicles each camera counted', async () => {
    await feed('camera', [
      camera(1, { area: 'dong_da', counts: counts(10, 30), avgSpeedKmh: 20 }),
      camera(2, { area: 'dong_da', counts: counts(0, 10), avgSpeedKmh: 40 }),
    ]);
    const [row] = await series('avg_speed', 'dong_da');
    expect(row!.value).toBeCloseTo((20 * 40 + 40 * 10) / 50, 9);
  });

  it('pm25: hourly mean of air sensors only', async () => {
    await feed('sensor', [
      sensor(1, 'air', { area: 'hoan_kiem', metrics: { pm25: 30 } }),
      sensor(2, 'air', { area: 'hoan_kiem', metrics: { pm25: 60 } }),
      sensor(3, 'air', { area: 'hoan_kiem', metrics: { pm10: 99 } }),
      sensor(4, 'water', { area: 'hoan_kiem' }),
    ]);
    expect(await series('pm25', 'hoan_kiem')).toEqual([
      { t: Date.parse('2026-11-27T08:00:00+07:00'), value: 45, n: 2 },
    ]);
  });

  it('flood_alert: sensors at or over their own alert level, the default for the others', async () => {
    await store.writer.run(`INSERT INTO water_thresholds VALUES ('sen-water-7', 20, 25, 'a low underpass')`);
    await feed('sensor', [
      sensor(1, 'water', { area: 'hoang_mai', sensorId: 'sen-water-7', metrics: { waterLevelCm: 26 } }),
      sensor(2, 'water', { area: 'hoang_mai', sensorId: 'sen-water-8', metrics: { waterLevelCm: 49 } }),
      sensor(3, 'water', { area: 'hoang_mai', sensorId: 'sen-water-9', metrics: { waterLevelCm: 50 } }),
    ]);
    expect(await series('flood_alert', 'hoang_mai')).toEqual([expect.objectContaining({ value: 2, n: 3 })]);
  });

  it('water_level_max: highest level per 5 minutes', async () => {
    await feed('sensor', [
      sensor(1, 'water', { area: 'hoang_mai', metrics: { waterLevelCm: 12 } }),
      sensor(2, 'water', { area: 'hoang_mai', metrics: { waterLevelCm: 48 } }),
      sensor(400, 'water', { area: 'hoang_mai', metrics: { waterLevelCm: 5 } }),
    ]);
    expect((await series('water_level_max', 'hoang_mai')).map((r) => r.value)).toEqual([48, 5]);
  });

  it('service_on_time_rate: share completed by the due time, per Hanoi day', async () => {
    const due = new Date(T0 + 10_000).toISOString();
    await feed('service', [
      service(1, { area: 'cau_giay', dueAt: due }),
      service(2, { area: 'cau_giay', dueAt: due }),
      service(20, { area: 'cau_giay', dueAt: due }),
      service(30, { area: 'cau_giay', dueAt: due, status: 'processing' }),
      service(40, { area: 'cau_giay', dueAt: undefined }),
    ]);
    const rows = await series('service_on_time_rate', 'cau_giay');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.t).toBe(Date.parse('2026-11-27T00:00:00+07:00'));
    expect(rows[0]!.value).toBeCloseTo(200 / 3, 9);
  });
});

describe('view files', () => {
  const header = (extra = '') =>
    `-- name: x_rate\n-- title.vi: X\n-- title.en: X\n-- unit: %\n-- window: 1m\n-- source: camera\n-- theme: traffic\n${extra}`;
  const body = 'SELECT ts AS t, area, 1.0 AS value, 1 AS n FROM camera_events WHERE ts >= $from AND ts < $to';

  it('parses the header into metadata', () => {
    const v = parseView('views/x.sql', header('-- thresholds.warn: 5\n') + body);
    expect(v).toMatchObject({
      name: 'x_rate',
      title: { vi: 'X', en: 'X' },
      windowMs: 60_000,
      keys: ['area'],
      thresholds: { warn: 5 },
    });
  });

  it('names the file, line and reason of a broken header', () => {
    expect(() => parseView('views/x.sql', header().replace('window: 1m', 'window: 7m') + body)).toThrow(
      /views\/x\.sql:5: window: must divide one day/,
    );
    expect(() => parseView('views/x.sql', header('-- colour: red\n') + body)).toThrow(
      /views\/x\.sql:8: unknown key colour/,
    );
    expect(() => parseView('views/x.sql', header().replace('-- unit: %\n', '') + body)).toThrow(/unit/);
  });

  it('checks rolling views: a base, a range that is a multiple of the window, no SELECT of their own', () => {
    const rolling = (extra: string) =>
      `-- name: y_60m\n-- title.vi: Y\n-- title.en: Y\n-- unit: %\n-- window: 1m\n-- theme: traffic\n${extra}`;
    expect(parseView('views/y.sql', rolling('-- base: x_rate\n-- range: 60m\n'))).toMatchObject({
      base: 'x_rate',
      windowMs: 60_000,
      rangeMs: 3_600_000,
      sql: '',
    });
    expect(() => parseView('views/y.sql', rolling('-- base: x_rate\n-- range: 90s\n'))).toThrow(
      /views\/y\.sql:8: range must be a multiple of window/,
    );
    expect(() => parseView('views/y.sql', rolling('-- base: x_rate\n-- range: 60m\n') + body)).toThrow(/has no SELECT/);
    const base = parseView('views/x.sql', header() + body);
    expect(() => linkViews([base, parseView('views/y.sql', rolling('-- base: nope\n-- range: 60m\n'))])).toThrow(
      /base view "nope" does not exist/,
    );
    expect(() =>
      linkViews([
        base,
        parseView('views/y.sql', rolling('-- base: x_rate\n-- range: 60m\n').replace('window: 1m', 'window: 5m')),
      ]),
    ).toThrow(/must equal the base view's window/);
  });

  it("merges a base without range into longer windows that the base's divide", () => {
    const merged = (window: string) =>
      `-- name: y_1h\n-- title.vi: Y\n-- title.en: Y\n-- unit: %\n-- window: ${window}\n-- theme: traffic\n-- base: x_rate\n`;
    const base = parseView('views/x.sql', header('-- merge: sum\n-- devices: camera\n') + body);
    expect(parseView('views/y.sql', merged('1h'))).toMatchObject({
      base: 'x_rate',
      windowMs: 3_600_000,
      rangeMs: null,
      sql: '',
    });
    const [, y] = linkViews([base, parseView('views/y.sql', merged('1h'))]);
    expect(y).toMatchObject({ name: 'y_1h', source: 'camera', merge: 'sum', devices: 'camera' });
    expect(isRolling(y!)).toBe(false);
    expect(() => linkViews([base, parseView('views/y.sql', merged('1m'))])).toThrow(
      /y\.sql:1: window \(1m\) must be a multiple of the base view's window \(1m\) and longer/,
    );
  });

  it('reads reference tables from CSV: numeric columns as numbers, quoted commas, errors with the line', () => {
    const t = parseRefTable('views/_tables/limits.csv', 'sensor_id,alert_cm,note\nx-1,25,"low, wet"\n*,50,\n');
    expect(t).toMatchObject({
      name: 'limits',
      types: ['VARCHAR', 'DOUBLE', 'VARCHAR'],
      rows: [
        ['x-1', 25, 'low, wet'],
        ['*', 50, null],
      ],
    });
    expect(() => parseRefTable('views/_tables/limits.csv', 'a,b\n1,2,3\n')).toThrow(
      /limits\.csv:2: 3 values for 2 columns/,
    );
  });

  it('refuses a query that does not bound event time', () => {
    expect(() => parseView('views/x.sql', header() + 'SELECT 1')).toThrow(/\$from and \$to/);
  });
});

describe('aqi (VN_AQI)', () => {
  it("reproduces the decision's NowCast example (PM2.5 09:00→20:00 gives NowCast 20.27 and AQI 41) and takes the highest sub-index", async () => {
    const series = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6];
    const nine = Date.parse('2026-11-27T09:00:00+07:00');
    const events = series.map((pm25, i) =>
      sensor(i, 'air', { id: `aqi-${i}`, area: 'dong_da', ts: nine + i * 3_600_000 + 600_000, metrics: { pm25 } }),
    );
    // The last hour also carries NO2 118.7 µg/m³ (sub-index 59.35) under the PM index, then a second area with NO2 high.
    events[11] = sensor(11, 'air', {
      id: 'aqi-11',
      area: 'dong_da',
      ts: nine + 11 * 3_600_000 + 600_000,
      metrics: { pm25: 20.6, no2: 118.7 },
    });
    await feed('sensor', events);
    const rows = await store.reader.objects<{ t: number; value: number | null }>(
      `SELECT epoch_ms(t) AS t, value FROM aqi WHERE area = 'dong_da' ORDER BY t`,
    );
    expect(rows.at(-1)).toEqual({ t: nine + 11 * 3_600_000, value: 59 });
    // Without the NO2 reading the hour's index is the PM2.5 NowCast one: 41.
    await store.writer.run(`UPDATE sensor_events SET no2 = NULL WHERE id = 'aqi-11'`);
    rollups.markDirty('sensor', [nine + 11 * 3_600_000]);
    await rollups.tick();
    const [last] = await store.reader.objects<{ value: number }>(
      `SELECT value FROM aqi WHERE area = 'dong_da' AND t = TIMESTAMPTZ '${new Date(nine + 11 * 3_600_000).toISOString()}'`,
    );
    expect(last!.value).toBe(41);
    // The first hour alone has no NowCast yet (fewer than 2 of the 3 latest hours): no index.
    expect(rows[0]!.value).toBeNull();
  });

  it('waits longer before the next recompute when the last one took more than its share of a core', async () => {
    const nine = Date.parse('2026-11-27T09:00:00+07:00');
    const reading = (i: number, pm25: number) =>
      sensor(i, 'air', { id: `b-${i}`, area: 'tay_ho', ts: nine + (i % 3) * 3_600_000, metrics: { pm25 } });
    // A thousandth of a core: a recompute of some milliseconds keeps the next one away for seconds.
    rollups.recomputeShare = 0.001;
    await feed(
      'sensor',
      [0, 1, 2].map((i) => reading(i, 40)),
    );
    expect(rollups.lastRecomputeMs).toBeGreaterThan(0);
    expect(rollups.recomputeGapMs).toBeCloseTo(rollups.lastRecomputeMs * 1000, 5);
    const aqi = () => store.reader.objects<{ value: number }>(`SELECT value FROM aqi WHERE area = 'tay_ho' ORDER BY t`);
    const before = await aqi();
    const changes = await feed('sensor', [reading(5, 400)]);
    // The folded views took the reading at once; VN_AQI waits for its turn, its windows still dirty.
    expect(changes.some((c) => c.name === 'pm25')).toBe(true);
    expect(changes.some((c) => c.name === 'aqi')).toBe(false);
    expect(await aqi()).toEqual(before);
    expect(rollups.dirtyWindows).toBeGreaterThan(0);
    rollups.dueNow();
    const later = await rollups.tick();
    expect(later.some((c) => c.name === 'aqi')).toBe(true);
    expect((await aqi()).at(-1)!.value).toBeGreaterThan(before.at(-1)!.value);
    // Without a share, every tick may recompute.
    rollups.recomputeShare = 0;
    expect(rollups.recomputeGapMs).toBe(0);
    expect((await feed('sensor', [reading(8, 900)])).some((c) => c.name === 'aqi')).toBe(true);
  });

  it('a late reading re-opens the following 11 hours too (the NowCast looks back 12 hours)', async () => {
    const nine = Date.parse('2026-11-27T09:00:00+07:00');
    await feed(
      'sensor',
      [0, 1, 2, 3, 4].map((i) =>
        sensor(i, 'air', { id: `n-${i}`, area: 'tay_ho', ts: nine + i * 3_600_000, metrics: { pm25: 40 } }),
      ),
    );
    const before = await store.reader.objects<{ value: number }>(
      `SELECT value FROM aqi WHERE area = 'tay_ho' ORDER BY t`,
    );
    const changes = await feed('sensor', [
      sensor(9, 'air', { id: 'n-late', area: 'tay_ho', ts: nine + 600_000, metrics: { pm25: 400 } }),
    ]);
    const aqi = changes.find((c) => c.name === 'aqi')!.rows.filter((r) => r.area === 'tay_ho');
    expect(aqi.length).toBe(5);
    const after = await store.reader.objects<{ value: number }>(
      `SELECT value FROM aqi WHERE area = 'tay_ho' ORDER BY t`,
    );
    expect(after.slice(2).every((r, i) => r.value > before[i + 2]!.value)).toBe(true);
  });
});
