// Differential test (run in two halves by differential-1 and -2.test.ts): random streams, shuffled, with duplicates
// and late arrivals, fed through the engine in random batches and ticks; every rollup must equal its view recomputed
// in one batch query over the stored (deduplicated) events, and every rolling view must equal its base merged by hand.
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { isRolling, levelsSql, loadMacros, loadViews, Rollups, type ViewDef } from '../../engine/views/index.ts';
import { hanoiWindowStart } from '../../engine/sql/index.ts';
import { mulberry32 } from '../../sources/simulate/prng.ts';
import { bytes, camera, feedback, sensor, service } from '../support/events.ts';

// 16 seeds by default (about 30 s of one core per half); DIFF_SEEDS=200 for a deeper search before a release.
const SEEDS = Number(process.env.DIFF_SEEDS ?? 16);
// Seeds run a few at a time, and beside other test files: the limit is for a stuck seed, not a slow machine.
const SEED_TIMEOUT_MS = 240_000;
const views = loadViews();
const log = createLogger('silent');
const BASE = Date.parse('2026-11-26T22:30:00+07:00'); // crosses a Hanoi midnight
const AREAS = ['ba_dinh', 'hoan_kiem', 'tay_ho', 'dong_da', 'cau_giay'];
// Wards grouped in two districts, and one (cau_giay) in none: the district rows are the views over the mapped events.
const PARENTS = new Map([
  ['ba_dinh', 'former_ba_dinh'],
  ['hoan_kiem', 'former_hoan_kiem'],
  ['tay_ho', 'former_ba_dinh'],
  ['dong_da', 'former_hoan_kiem'],
]);
const KINDS = ['air', 'water', 'noise', 'network', 'weather'] as const;

interface Msg {
  topic: string;
  payload: Uint8Array;
  receivedAt: number;
}

function stream(seed: number): { messages: Msg[]; ids: Set<string> } {
  const r = mulberry32(seed);
  const int = (n: number) => Math.floor(r() * n);
  const events: { family: string; e: Record<string, unknown> }[] = [];
  for (let i = 0; i < 120; i++) {
    const ts = BASE + int(3 * 3_600_000);
    const area = r() < 0.1 ? undefined : AREAS[int(AREAS.length)];
    const common = { id: `s${seed}-${i}`, ts: new Date(ts).toISOString(), area };
    const f = int(4);
    if (f === 3) {
      // Reports from a few people, so their lifecycles repeat reports, resolutions and reopenings across windows.
      const due = r() < 0.3 ? undefined : new Date(ts + (r() - 0.4) * 8 * 3_600_000).toISOString();
      // A report stays where it was made: its ward is a function of its id (or it has none, placed by position).
      const report = int(15);
      events.push({
        family: 'feedback',
        e: feedback(i, {
          ...common,
          area: report % 6 === 5 ? undefined : AREAS[report % AREAS.length],
          reportId: `PA-${report}`,
          status: ['received', 'assigned', 'resolved', 'resolved', 'reopened', 'rejected'][int(6)],
          channel: ['app', 'hotline', 'web', 'social'][int(4)],
          dueAt: due,
          rating: r() < 0.5 ? 1 + int(5) : undefined,
        }),
      });
    } else if (f === 0) {
      events.push({
        family: 'camera',
        e: camera(i, {
          ...common,
          cameraId: `cam-${int(12)}`,
          counts: { car: int(20), motorbike: int(90), bus: int(3), truck: int(4), bicycle: int(5), pedestrian: int(9) },
          avgSpeedKmh: r() < 0.1 ? undefined : 5 + r() * 50,
          occupancy: r(),
          incident: r() < 0.05 ? { type: 'accident', confidence: 0.9 } : undefined,
        }),
      });
    } else if (f === 1) {
      const kind = KINDS[int(KINDS.length)]!;
      const metrics = {
        air: { pm25: r() * 150 },
        water: { waterLevelCm: r() < 0.7 ? 0 : r() * 80 },
        noise: { laeqDb: 45 + r() * 40 },
        network: { downMbps: r() * 120 },
        weather: { temperatureC: 15 + r() * 20 },
      }[kind];
      events.push({ family: 'sensor', e: sensor(i, kind, { ...common, sensorId: `sen-${kind}-${int(8)}`, metrics }) });
    } else {
      const status = ['received', 'processing', 'completed', 'completed', 'rejected'][int(5)];
      events.push({
        family: 'service',
        e: service(i, {
          ...common,
          agency: `agency-${int(4)}`,
          status,
          channel: ['online', 'counter', 'postal'][int(3)],
          level: r() < 0.2 ? undefined : ['full', 'partial', 'none'][int(3)],
          onlinePayment: r() < 0.3 ? undefined : r() < 0.5,
          dueAt: r() < 0.2 ? undefined : new Date(ts + (r() - 0.3) * 86_400_000).toISOString(),
        }),
      });
    }
  }
  // Arrival: mostly soon after the event, some very late; events travel alone or in small arrays; a tenth come twice.
  const messages: Msg[] = [];
  for (let i = 0; i < events.length;) {
    const n = 1 + (r() < 0.3 ? int(4) : 0);
    const group = [events[i]!];
    while (
      group.length < n &&
      i + group.length < events.length &&
      events[i + group.length]!.family === group[0]!.family
    )
      group.push(events[i + group.length]!);
    i += group.length;
    const ts = Date.parse(group[0]!.e.ts as string);
    const receivedAt = ts + (r() < 0.15 ? 1_800_000 + int(7_200_000) : int(20_000));
    const payload = bytes(group.length === 1 ? group[0]!.e : group.map((g) => g.e));
    const topic = `city/${group[0]!.family}/x`;
    messages.push({ topic, payload, receivedAt });
    if (r() < 0.1) messages.push({ topic, payload, receivedAt: receivedAt + int(600_000) });
  }
  // Disorder: a random shuffle of a third of the messages.
  for (let k = 0; k < messages.length / 3; k++) {
    const a = int(messages.length),
      b = int(messages.length);
    [messages[a], messages[b]] = [messages[b]!, messages[a]!];
  }
  return { messages, ids: new Set(events.map((g) => g.e.id as string)) };
}

type Row = {
  t: number;
  area: string;
  value: number | null;
  n: number;
  late: number;
  sources: number | null;
  weight: number | null;
};
const key = (r: { t: number; area: string }) => `${r.t}|${r.area}`;

/** A rolling view: each hop merges the base windows of its range. A view with partials: each window merges its partials. */
function mergeByHand(v: ViewDef, base: Row[]): Map<string, Row> {
  const span = isRolling(v) ? v.rangeMs! - v.windowMs : 0;
  const out = new Map<string, Row & { acc: number; wsum: number }>();
  for (const b of base) {
    const first = isRolling(v) ? b.t : hanoiWindowStart(b.t, v.windowMs);
    for (let h = first; h <= first + span; h += v.windowMs) {
      const k = key({ t: h, area: b.area });
      const o = out.get(k) ?? {
        t: h,
        area: b.area,
        value: null,
        n: 0,
        late: 0,
        sources: null,
        weight: null,
        acc: 0,
        wsum: 0,
      };
      o.n += b.n;
      o.late += b.late;
      o.sources = Math.max(o.sources ?? 0, b.sources ?? 0);
      if (b.value !== null) {
        if (v.merge === 'sum') o.value = (o.value ?? 0) + b.value;
        else if (v.merge === 'max') o.value = Math.max(o.value ?? -Infinity, b.value);
        else if (v.merge === 'min') o.value = Math.min(o.value ?? Infinity, b.value);
        else {
          const w = b.weight ?? b.n;
          o.acc += b.value * w;
          o.wsum += w;
          o.value = o.wsum ? o.acc / o.wsum : null;
        }
      }
      out.set(k, o);
    }
  }
  return out;
}

function expectSame(name: string, actual: Row[], expected: Map<string, Row>): void {
  expect(actual.length, `${name}: row count`).toBe(expected.size);
  for (const a of actual) {
    const e = expected.get(key(a));
    expect(e, `${name}: unexpected row ${key(a)}`).toBeDefined();
    expect([a.n, a.late, a.sources], `${name} ${key(a)}: n, late, sources`).toEqual([e!.n, e!.late, e!.sources]);
    if (e!.value === null) expect(a.value, `${name} ${key(a)}`).toBeNull();
    else expect(a.value!, `${name} ${key(a)}: value`).toBeCloseTo(e!.value, 6);
  }
}

/**
 * The seeds of one half (1 or 2) of the run: two test files, so that the two test workers share the longest test
 * of the suite rather than one of them carrying it alone.
 */
export function differentialSuite(half: 1 | 2): void {
  const split = Math.ceil(SEEDS / 2);
  const [first, last] = half === 1 ? [1, split] : [split + 1, SEEDS];
  // Each seed's database is closed when the seed ends: fifty open ones held several GB.
  const stores = new Set<Store>();
  let deltaRows = 0;
  afterAll(async () => {
    for (const s of stores) await s.close();
    if (last >= first) expect(deltaRows, 'rows folded into windows already held, over all seeds').toBeGreaterThan(0);
  });

  describe(`incremental rollups equal one batch query (seeds ${first}–${last} of ${SEEDS})`, () => {
    for (let seed = first; seed <= last; seed++) {
      it.concurrent(
        `seed ${seed}`,
        async () => {
          const { messages, ids } = stream(seed);
          const store = await openStore({ dataDir: '.', dbFile: ':memory:' });
          stores.add(store);
          try {
            const rollups = new Rollups(await store.db.connect(), views, log, undefined, loadMacros());
            rollups.parents = PARENTS;
            await rollups.init();
            const batcher = new Batcher(
              store.writer,
              { batchRows: 1_000_000, batchAgeMs: 60_000 },
              (c) => {
                rollups.onCommit(c);
              },
              log,
            );
            const r = mulberry32(seed * 7919);
            for (const m of messages) {
              batcher.push(
                { source: 'test', ...m, ack: () => undefined },
                decodeMessage(m.topic.split('/')[1], m.payload, m.receivedAt, {
                  maxPayloadBytes: 1 << 20,
                  maxFutureMs: 86_400_000,
                  locate: () => 'hoan_kiem',
                }),
              );
              if (r() < 0.08) await batcher.flush();
              if (r() < 0.04) await rollups.tick();
            }
            await batcher.close();
            await rollups.tick();
            // The foldable views went through the incremental path: windows read whole, then rows folded as they came.
            expect(rollups.incremental.folded).toEqual(
              expect.arrayContaining(['traffic_flow', 'avg_speed', 'pm25_1m']),
            );
            expect(rollups.incremental.stats.coldRows).toBeGreaterThan(0);
            deltaRows += rollups.incremental.stats.deltaRows;

            const [[stored]] = (
              await store.reader.query(
                'SELECT (SELECT count(*) FROM camera_events) + (SELECT count(*) FROM sensor_events) + (SELECT count(*) FROM service_events) + (SELECT count(*) FROM feedback_events)',
              )
            ).rows as [[number]];
            expect(stored).toBe(ids.size);

            const oracle = new Map<string, Row[]>();
            for (const v of views.filter((x) => !x.base)) {
              const full = await store.reader
                .objects<Row>(`SELECT epoch_ms(t) AS t, area, value, n, ${v.sql.includes(' AS weight') ? 'weight' : 'NULL AS weight'},
            ${v.sql.includes(' AS sources') ? 'sources' : 'NULL AS sources'}, ${v.sql.includes(' AS late') ? 'late' : '0 AS late'}
            FROM (${levelsSql(v, Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1), PARENTS)})`);
              oracle.set(v.name, full);
              expectSame(
                v.name,
                await store.reader.objects<Row>(
                  `SELECT epoch_ms(t) AS t, area, value, n, late, sources, weight FROM ${v.name}`,
                ),
                new Map(full.map((x) => [key(x), x])),
              );
            }
            for (const v of views.filter((x) => x.base)) {
              expectSame(
                v.name,
                await store.reader.objects<Row>(
                  `SELECT epoch_ms(t) AS t, area, value, n, late, sources, weight FROM ${v.name}`,
                ),
                mergeByHand(v, oracle.get(v.base!)!),
              );
            }

            // traffic_flow: for every minute, the wards add up to the vehicles of the stored events, late ones included,
            // and so do the districts with the ward in none.
            const check = await store.reader.objects<{
              m: number;
              raw: number;
              areas: number;
              city: number;
              districts: number;
            }>(`
          SELECT epoch_ms(r.m) AS m, r.raw, f.areas, f.city, f.districts FROM
            (SELECT time_bucket(INTERVAL 1 MINUTE, ts) AS m, sum(car + motorbike + bus + truck + bicycle) AS raw FROM camera_events GROUP BY ALL) r
            JOIN (SELECT t, sum(value) FILTER (WHERE area NOT IN ('hanoi', 'former_ba_dinh', 'former_hoan_kiem')) AS areas,
                    sum(value) FILTER (WHERE area = 'hanoi') AS city,
                    sum(value) FILTER (WHERE area IN ('former_ba_dinh', 'former_hoan_kiem', 'cau_giay')) AS districts
                  FROM traffic_flow GROUP BY t) f ON f.t = r.m`);
            const minutes = await store.reader.objects<{ n: number }>(
              'SELECT count(DISTINCT time_bucket(INTERVAL 1 MINUTE, ts)) AS n FROM camera_events',
            );
            expect(check.length).toBe(minutes[0]!.n);
            for (const c of check) expect([c.areas, c.city, c.districts]).toEqual([c.raw, c.raw, c.raw]);
          } finally {
            stores.delete(store);
            await store.close();
          }
        },
        SEED_TIMEOUT_MS,
      );
    }
  });
}
