// Alert rules against real rollups: thresholds with hysteresis and minimum duration, rate, no-data and anomaly rules,
// the lifecycle (open → acknowledged → resolved) and incidents that gather an area's alerts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertEngine, parseRule, type Rule } from '../../engine/alerts/index.ts';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { loadViews, ROLLUP_TABLE, Rollups, type IndicatorChange } from '../../engine/views/index.ts';
import { bytes, camera, sensor } from '../support/events.ts';

const log = createLogger('silent');
const MIN = 60_000;
const views = loadViews();
let store: Store;
let rollups: Rollups;
let batcher: Batcher;
let engine: AlertEngine;
const T = Date.parse('2026-11-27T17:00:00+07:00');

const rule = (text: string): Rule =>
  parseRule(
    'views/alerts/test.rule',
    text
      .trim()
      .split('\n')
      .map((l) => `-- ${l.trim()}`)
      .join('\n'),
  );
const WATER = rule(
  `name: water_high\ntitle.vi: Ngập\ntitle.en: Flood\nkind: threshold\nindicator: water_level_max\nabove: 50\nclear: 40\nfor: 5m\nseverity: critical\nincident: flooding`,
);
const RAIN = rule(
  `name: heavy_rain\ntitle.vi: Mưa\ntitle.en: Rain\nkind: threshold\nindicator: rainfall_max\nabove: 50\nincident: flooding`,
);
const SLOW = rule(
  `name: speed_collapse\ntitle.vi: Chậm\ntitle.en: Slow\nkind: threshold\nindicator: avg_speed\nbelow: 12\nclear: 18\nincident: traffic`,
);
const SILENT = rule(
  `name: camera_silent\ntitle.vi: Mất tín hiệu\ntitle.en: Silent\nkind: no_data\ndevices: camera\nafter: 15m`,
);
const RISING = rule(
  `name: water_rising\ntitle.vi: Nước dâng\ntitle.en: Rising\nkind: rate\nindicator: water_level_max\nchange: 20\nover: 15m`,
);

async function feed(family: string, events: Record<string, unknown>[], receivedAt: number): Promise<IndicatorChange[]> {
  const payload = bytes(events);
  batcher.push(
    { source: 'test', topic: `city/${family}/x`, payload, receivedAt, ack: () => undefined },
    decodeMessage(family, payload, receivedAt, {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: 86_400_000,
      locate: () => 'hoang_mai',
    }),
  );
  await batcher.flush();
  return rollups.tick();
}
const water = (i: number, cm: number, at: number) =>
  sensor(i, 'water', {
    id: `w-${i}`,
    ts: at,
    area: 'hoang_mai',
    sensorId: 'sen-w-1',
    metrics: { waterLevelCm: cm, rainfallMm: 70 },
  });

async function setup(rules: Rule[]): Promise<void> {
  engine = new AlertEngine(await store.db.connect(), rules, views, log);
  await engine.init(T);
}

beforeEach(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  rollups = new Rollups(await store.db.connect(), views, log);
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

describe('threshold rules', () => {
  it('open only after the minimum duration, once, and resolve past the clear level (hysteresis)', async () => {
    await setup([WATER]);
    expect(await engine.evaluate(await feed('sensor', [water(1, 60, T)], T), T)).toEqual([]);
    const opened = await engine.evaluate(await feed('sensor', [water(2, 62, T + 5 * MIN)], T + 5 * MIN), T + 5 * MIN);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      type: 'opened',
      alert: { rule: 'water_high', area: 'hoang_mai', status: 'open', severity: 'critical', value: 62, threshold: 50 },
    });
    expect(opened[0]!.alert.conditionSince).toBe(new Date(T).toISOString());
    // Still high, and between clear and threshold: nothing new, the alert stays.
    expect(await engine.evaluate(await feed('sensor', [water(3, 65, T + 6 * MIN)], T + 6 * MIN), T + 6 * MIN)).toEqual(
      [],
    );
    expect(
      await engine.evaluate(await feed('sensor', [water(4, 45, T + 10 * MIN)], T + 10 * MIN), T + 10 * MIN),
    ).toEqual([]);
    const resolved = await engine.evaluate(
      await feed('sensor', [water(5, 35, T + 15 * MIN)], T + 15 * MIN),
      T + 15 * MIN,
    );
    expect(resolved).toMatchObject([{ type: 'resolved', alert: { status: 'resolved', resolvedBy: 'engine' } }]);
    expect(resolved[0]!.incident).toMatchObject({ status: 'resolved', type: 'flooding' });
  });

  it('a flapping value under the minimum duration never opens an alert', async () => {
    await setup([WATER]);
    for (let k = 0; k < 8; k++) {
      const at = T + k * 2 * MIN;
      expect(await engine.evaluate(await feed('sensor', [water(10 + k, k % 2 ? 30 : 70, at)], at), at)).toEqual([]);
    }
  });
});

describe('a view that finished filling from its history', () => {
  it('is judged on the rows written while it filled, which no tick told', async () => {
    await setup([RAIN]);
    const rain = sensor(1, 'weather', { id: 'r-silent', ts: T, area: 'hoang_mai', metrics: { rainfallMm: 80 } });
    // The rows reach the rollups, but the tick's changes are not handed over (as for a view still filling).
    await feed('sensor', [rain], T);
    expect(await engine.evaluate([], T)).toEqual([]);
    engine.viewLive('rainfall_max');
    expect(await engine.evaluate([], T)).toMatchObject([{ type: 'opened', alert: { rule: 'heavy_rain', value: 80 } }]);
  });
});

describe('a removed window', () => {
  it("that was an area's latest hands the judgement to the newest window left", async () => {
    await setup([RAIN]);
    const rain = (i: number, mm: number, at: number) =>
      sensor(i, 'weather', { id: `r-gone-${i}`, ts: at, area: 'hoang_mai', metrics: { rainfallMm: mm } });
    expect(await engine.evaluate(await feed('sensor', [rain(1, 10, T - 3 * 3_600_000)], T), T)).toEqual([]);
    const breach = await feed('sensor', [rain(2, 80, T)], T);
    expect(await engine.evaluate(breach, T)).toMatchObject([{ type: 'opened', alert: { rule: 'heavy_rain' } }]);
    // The window of the breach is deleted, as a recompute that no longer yields it deletes it, and told as removed.
    const [row] = breach.find((c) => c.name === 'rainfall_max')!.rows;
    await store.writer.run(
      `DELETE FROM ${ROLLUP_TABLE} WHERE view = 'rainfall_max' AND area = $area AND epoch_ms(t) = $t`,
      { area: row!.area, t: Date.parse(row!.t) },
    );
    const removed = [{ name: 'rainfall_max', rows: [{ ...row!, removed: true as const }] }];
    expect(await engine.evaluate(removed, T + MIN)).toMatchObject([
      { type: 'resolved', alert: { rule: 'heavy_rain', resolvedBy: 'engine' } },
    ]);
  });
});

describe('lifecycle and incidents', () => {
  it('an alert resolved by hand while the condition holds stays resolved until the condition has cleared once', async () => {
    await setup([RAIN]);
    const rain = (i: number, mm: number, at: number) =>
      sensor(i, 'weather', { id: `r-${i}`, ts: at, area: 'hoang_mai', metrics: { rainfallMm: mm } });
    const [opened] = await engine.evaluate(await feed('sensor', [rain(1, 80, T)], T), T);
    await engine.resolve(opened!.alert.id, 'operator.lan', 'known, crews out', T + MIN);
    expect(await engine.evaluate(await feed('sensor', [rain(2, 85, T + 5 * MIN)], T + 5 * MIN), T + 5 * MIN)).toEqual(
      [],
    );
    expect(
      await engine.evaluate(await feed('sensor', [rain(3, 10, T + 10 * MIN)], T + 10 * MIN), T + 10 * MIN),
    ).toEqual([]);
    const again = await engine.evaluate(await feed('sensor', [rain(4, 75, T + 15 * MIN)], T + 15 * MIN), T + 15 * MIN);
    expect(again).toMatchObject([{ type: 'opened', alert: { rule: 'heavy_rain' } }]);
    expect(again[0]!.alert.id).not.toBe(opened!.alert.id);
    expect((await engine.list({ rule: 'heavy_rain' })).map((a) => a.status).sort()).toEqual(['open', 'resolved']);
  });

  it('heavy rain, deep water and slow traffic in one area become one flooding incident with its checklist', async () => {
    await setup([WATER, RAIN, SLOW]);
    const at = T + 10 * MIN;
    const changes = [
      ...(await feed('sensor', [water(1, 70, T)], T)),
      ...(await feed('camera', [camera(1, { ts: new Date(T).toISOString(), area: 'hoang_mai', avgSpeedKmh: 6 })], T)),
    ];
    const first = await engine.evaluate(changes, T);
    const later = await engine.evaluate([], at);
    const all = [...first, ...later].filter((e) => e.type === 'opened');
    expect(all.map((e) => e.alert.rule).sort()).toEqual(['heavy_rain', 'speed_collapse', 'water_high']);
    expect(new Set(all.map((e) => e.alert.incidentId)).size).toBe(1);
    const [incident] = await engine.incidents({ id: all[0]!.alert.incidentId! });
    expect(incident).toMatchObject({ type: 'flooding', area: 'hoang_mai', status: 'open', alerts: 3 });
    expect(incident!.checklist[0]).toMatchObject({
      step: 1,
      en: expect.stringMatching(/Confirm the flooded spot/),
      done: false,
    });
    expect(incident!.checklist.at(-1)!.en).toMatch(/Record the outcome/);

    const ack = await engine.acknowledge(all[0]!.alert.id, 'operator.lan', 'pumps started', at + MIN);
    expect(ack.alert).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'operator.lan',
      comment: 'pumps started',
    });
    expect(ack.incident).toMatchObject({ status: 'acknowledged', acknowledgedAt: new Date(at + MIN).toISOString() });
    await expect(engine.acknowledge(all[0]!.alert.id, 'x', null)).rejects.toThrow(/only an open alert/);
    const ticked = await engine.checkStep(incident!.id, 2, true, 'operator.lan', at + 2 * MIN);
    expect(ticked.checklist[1]).toMatchObject({ done: true, by: 'operator.lan' });
    for (const e of all) await engine.resolve(e.alert.id, 'operator.lan', 'water gone', at + 60 * MIN);
    const [times] = await store.reader.objects<{
      detect_s: number;
      resolve_s: number;
      detect_met: boolean;
      resolve_met: boolean;
    }>(`SELECT detect_s, resolve_s, detect_met, resolve_met FROM incident_times WHERE id = '${incident!.id}'`);
    expect(times).toMatchObject({ detect_met: true, resolve_met: true });
  });
});

describe('a storm of alerts', () => {
  it("a district gone dark at once: each area's alerts in one incident, written in a few statements whatever their number", async () => {
    const conn = await store.db.connect();
    engine = new AlertEngine(conn, [SILENT], views, log);
    await engine.init(T);
    const areas = ['hoang_mai', 'ba_dinh', 'dong_da', 'cau_giay'];
    const N = 200;
    const cameras = (at: number, tag: string) =>
      Array.from({ length: N }, (_, i) =>
        camera(i, { id: `${tag}-${i}`, cameraId: `cam-dark-${i}`, ts: new Date(at).toISOString(), area: areas[i % 4] }),
      );
    await feed('camera', cameras(T, 'before'), T);
    // Every statement the alerts issue goes through one of these (objects reads through query).
    const spies = (['run', 'query', 'queryPlanned'] as const).map((m) => vi.spyOn(conn, m));
    const statements = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);

    const opened = await engine.evaluate([], T + 16 * MIN);
    // One at a time, an alert cost about ten statements: a storm held the tick, and the walls, for seconds.
    expect(statements()).toBeLessThan(20);
    expect(opened).toHaveLength(N);
    expect(new Set(opened.map((e) => e.alert.subject)).size).toBe(N);
    expect(opened.every((e) => e.type === 'opened' && e.alert.status === 'open')).toBe(true);
    const incidents = new Map(opened.map((e) => [e.alert.incidentId!, e.incident!]));
    expect(incidents.size).toBe(areas.length);
    for (const e of opened)
      expect(e.incident).toMatchObject({ area: e.alert.area, type: 'devices', status: 'open', alerts: N / 4 });
    const logged = () =>
      store.reader.objects<{ action: string; n: number }>(
        `SELECT action, count(DISTINCT incident_id)::INT AS n, count(*)::INT AS rows FROM incident_log GROUP BY ALL ORDER BY action`,
      );
    expect(await logged()).toEqual([{ action: 'opened', n: 4, rows: 4 }]);

    await feed('camera', cameras(T + 17 * MIN, 'after'), T + 17 * MIN);
    spies.forEach((s) => s.mockClear());
    const resolved = await engine.evaluate([], T + 18 * MIN);
    expect(statements()).toBeLessThan(20);
    expect(resolved).toHaveLength(N);
    expect(resolved.every((e) => e.type === 'resolved' && e.incident?.status === 'resolved')).toBe(true);
    expect(await logged()).toEqual([
      { action: 'opened', n: 4, rows: 4 },
      { action: 'resolved', n: 4, rows: 4 },
    ]);
    expect(await engine.list({ status: 'active' })).toEqual([]);
  });
});

describe('rate, no-data and anomaly rules', () => {
  it('rate: water rising 20 cm within 15 minutes', async () => {
    await setup([RISING]);
    await engine.evaluate(await feed('sensor', [water(1, 10, T)], T), T);
    const opened = await engine.evaluate(
      await feed('sensor', [water(2, 35, T + 15 * MIN)], T + 15 * MIN),
      T + 15 * MIN + 30_000,
    );
    expect(opened).toMatchObject([
      { type: 'opened', alert: { rule: 'water_rising', message: expect.stringMatching(/\+25\.0 in 15 min/) } },
    ]);
  });

  it('no_data: a camera silent for 15 minutes opens an alert that resolves when it reports again', async () => {
    await setup([SILENT]);
    await feed('camera', [camera(1, { cameraId: 'cam-q', ts: new Date(T).toISOString() })], T);
    expect(await engine.evaluate([], T + 10 * MIN)).toEqual([]);
    const opened = await engine.evaluate([], T + 16 * MIN);
    expect(opened).toMatchObject([{ type: 'opened', alert: { subject: 'cam-q', kind: 'no_data' } }]);
    await feed('camera', [camera(2, { cameraId: 'cam-q', ts: new Date(T + 17 * MIN).toISOString() })], T + 17 * MIN);
    expect(await engine.evaluate([], T + 17 * MIN)).toMatchObject([{ type: 'resolved', alert: { subject: 'cam-q' } }]);
  });

  it('no_data: judged every few seconds, not at every tick, so a device back on air resolves within that', async () => {
    await setup([SILENT]);
    await feed('camera', [camera(1, { cameraId: 'cam-r', ts: new Date(T).toISOString() })], T);
    const opened = await engine.evaluate([], T + 16 * MIN);
    expect(opened).toMatchObject([{ type: 'opened', alert: { subject: 'cam-r' } }]);
    const back = T + 16 * MIN + 1000;
    await feed('camera', [camera(2, { cameraId: 'cam-r', ts: new Date(back).toISOString() })], back);
    // Two seconds after the last judgement the rule is not judged again: the alert stays open.
    expect(await engine.evaluate([], T + 16 * MIN + 2000)).toEqual([]);
    expect(await engine.evaluate([], T + 16 * MIN + 5000)).toMatchObject([
      { type: 'resolved', alert: { subject: 'cam-r' } },
    ]);
  });

  it('anomaly: far from the same hour of day over the past weeks', async () => {
    const ANOM = rule(
      `name: odd\ntitle.vi: Lạ\ntitle.en: Odd\nkind: anomaly\nindicator: traffic_flow\nsigma: 3\nweeks: 4`,
    );
    // Four weeks of 17:xx history around 100 vehicles/min, then 400 now.
    const hist = Array.from(
      { length: 28 },
      (_, d) =>
        `('traffic_flow', TIMESTAMPTZ '${new Date(T - (d + 1) * 86_400_000).toISOString()}', 'hoang_mai', ${100 + (d % 5) * 3}, 1, NULL, 1, 0, now())`,
    );
    await store.writer.run(`INSERT INTO rollups VALUES ${hist.join(', ')}`);
    await setup([ANOM]);
    const counts = { car: 100, motorbike: 300, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 };
    const opened = await engine.evaluate(
      await feed('camera', [camera(1, { ts: new Date(T + 30_000).toISOString(), area: 'hoang_mai', counts })], T + MIN),
      T + MIN,
    );
    expect(opened.filter((e) => e.alert.area === 'hoang_mai')).toMatchObject([
      { type: 'opened', alert: { rule: 'odd', message: expect.stringMatching(/usual 10\d\.\d/) } },
    ]);
  });
});

describe('rule files', () => {
  it('name the file, line and problem', () => {
    expect(() =>
      parseRule(
        'views/alerts/x.rule',
        '-- name: x_y\n-- title.vi: a\n-- title.en: b\n-- kind: threshold\n-- indicator: pm25\n',
      ),
    ).toThrow(/exactly one of above: or below:/);
    expect(() =>
      parseRule(
        'views/alerts/x.rule',
        '-- name: x_y\n-- title.vi: a\n-- title.en: b\n-- kind: threshold\n-- indicator: pm25\n-- above: 5\n-- for: soon\n',
      ),
    ).toThrow(/x\.rule:7: for: must be a duration/);
    expect(() =>
      parseRule('views/alerts/x.rule', '-- name: x_y\n-- title.vi: a\n-- title.en: b\n-- kind: sometimes\n'),
    ).toThrow(/x\.rule:4/);
  });
});
