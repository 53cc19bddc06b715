// The Hanoi simulator: determinism, the wire contract of every family, realism checks, and the publishing rate.
import { describe, expect, it } from 'vitest';
import { loadAreas, simulatorAreas } from '../../engine/geo/index.ts';
import { createSimulator, type SimArea, type SimMessage } from '../../sources/simulate/index.ts';
import { FAMILY_DEFS } from '../../engine/schema/index.ts';

// A Monday in November, 08:00 Hanoi time: the morning rush in the smog season.
const RUSH = Date.parse('2026-11-23T08:00:00+07:00');
const NIGHT = Date.parse('2026-11-23T03:00:00+07:00');

/** Four square districts round Hanoi's centre, two urban: enough to place devices without the geo module. */
function boxArea(code: string, lon: number, lat: number, urban: boolean): SimArea {
  const half = 0.02;
  return {
    code,
    name: code.toUpperCase(),
    centroid: [lon, lat],
    urban,
    people: urban ? 50_000 : 10_000,
    district: null,
    randomPoint: (rng) => [lon - half + 2 * half * rng(), lat - half + 2 * half * rng()],
  };
}
const AREAS = [
  boxArea('a_urban', 105.83, 21.02, true),
  boxArea('b_urban', 105.87, 21.02, true),
  boxArea('c_rural', 105.6, 21.1, false),
  boxArea('d_rural', 105.7, 20.8, false),
];
const CODES = new Set(AREAS.map((a) => a.code));

const RFC3339_HANOI = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$/;
const INCIDENTS = ['accident', 'congestion', 'flooding', 'fire', 'crowd', 'wrong_way', 'stopped_vehicle'];
const METRICS: Record<string, Record<string, [number, number]>> = {
  air: { pm25: [0, 1000], pm10: [0, 2000], no2: [0, 1000], o3: [0, 1000], so2: [0, 1000], co: [0, 50_000] },
  water: { waterLevelCm: [0, 2000], rainfallMm: [0, 500] },
  noise: { laeqDb: [20, 120] },
  weather: { temperatureC: [-5, 50], humidityPct: [0, 100], rainfallMm: [0, 500], windMs: [0, 60] },
  network: { downMbps: [0, 10_000], upMbps: [0, 10_000], latencyMs: [0, 10_000] },
};
const NEXT_STATUS: Record<string, string[]> = {
  received: ['processing', 'rejected', 'withdrawn'],
  processing: ['completed', 'supplement_requested', 'rejected', 'withdrawn'],
  supplement_requested: ['processing', 'withdrawn'],
};

type Json = Record<string, unknown>;
const parse = (m: SimMessage) => JSON.parse(m.payload.toString('utf8')) as Json;
const within = (x: unknown, lo: number, hi: number) =>
  typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;

function expectCommon(e: Json, at: number, until: number): void {
  expect(typeof e.id === 'string' && e.id.length >= 1 && e.id.length <= 128, `id ${String(e.id)}`).toBe(true);
  expect(e.ts).toMatch(RFC3339_HANOI);
  const ts = Date.parse(e.ts as string);
  expect(ts).toBeGreaterThanOrEqual(at);
  expect(ts).toBeLessThanOrEqual(until);
}

function expectCamera(topic: string, e: Json): void {
  expect(topic).toBe(`city/camera/${String(e.cameraId)}`);
  expect(within(e.lat, 20.5, 21.4) && within(e.lon, 105.2, 106.1)).toBe(true);
  const counts = e.counts as Json;
  expect(Object.keys(counts).sort()).toEqual(['bicycle', 'bus', 'car', 'motorbike', 'pedestrian', 'truck']);
  for (const v of Object.values(counts)) expect(Number.isInteger(v) && (v as number) >= 0).toBe(true);
  expect(Number.isInteger(e.intervalS) && within(e.intervalS, 1, 3600)).toBe(true);
  expect(within(e.avgSpeedKmh, 0, 120)).toBe(true);
  expect(within(e.occupancy, 0, 1)).toBe(true);
  expect(within(e.queueM, 0, 10_000)).toBe(true);
  if (e.incident !== undefined) {
    const incident = e.incident as Json;
    expect(INCIDENTS).toContain(incident.type);
    expect(within(incident.confidence, 0, 1)).toBe(true);
  }
  const known = [
    'id',
    'ts',
    'cameraId',
    'lat',
    'lon',
    'counts',
    'intervalS',
    'avgSpeedKmh',
    'occupancy',
    'queueM',
    'incident',
  ];
  for (const k of Object.keys(e)) expect(known).toContain(k);
}

function expectSensor(topic: string, e: Json): void {
  expect(topic).toBe(`city/sensor/${String(e.sensorId)}`);
  expect(within(e.lat, 20.5, 21.4) && within(e.lon, 105.2, 106.1)).toBe(true);
  const ranges = METRICS[e.kind as string];
  expect(ranges, `kind ${String(e.kind)}`).toBeDefined();
  const metrics = e.metrics as Json;
  const names = Object.keys(ranges!);
  if (e.kind === 'network') {
    expect(['Viettel', 'VNPT', 'MobiFone']).toContain(metrics.operator);
    names.push('operator');
  }
  expect(Object.keys(metrics).sort()).toEqual(names.sort());
  for (const [name, [lo, hi]] of Object.entries(ranges!))
    expect(within(metrics[name], lo, hi), `${name}=${String(metrics[name])}`).toBe(true);
}

function expectService(topic: string, e: Json): void {
  expect(topic).toBe(`city/service/${String(e.agency)}`);
  expect(typeof e.dossierId === 'string' && e.dossierId.length > 0).toBe(true);
  expect(typeof e.procedure === 'string' && e.procedure.length > 0).toBe(true);
  expect(['received', 'processing', 'supplement_requested', 'completed', 'rejected', 'withdrawn']).toContain(e.status);
  expect(['online', 'counter', 'postal']).toContain(e.channel);
  expect(['full', 'partial', 'none']).toContain(e.level);
  expect(e.dueAt).toMatch(RFC3339_HANOI);
  expect(typeof e.onlinePayment).toBe('boolean');
  if (e.channel !== 'online') expect(e.onlinePayment).toBe(false);
  expect(CODES.has(e.area as string)).toBe(true);
}

function expectFeedback(topic: string, e: Json): void {
  const parsed = FAMILY_DEFS.feedback.schema.safeParse(e);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  expect(topic).toBe(`city/feedback/${String(e.channel)}`);
  if (e.area !== undefined) expect(CODES.has(e.area as string)).toBe(true);
  else expect([e.lat, e.lon].every((x) => typeof x === 'number')).toBe(true);
}

describe('the Hanoi simulator', () => {
  it('gives the same events for the same seed, and others for another seed', () => {
    const a = createSimulator({ areas: AREAS, rate: 200, seed: 7 }).generate(3000, RUSH);
    const b = createSimulator({ areas: AREAS, rate: 200, seed: 7 }).generate(3000, RUSH);
    const c = createSimulator({ areas: AREAS, rate: 200, seed: 8 }).generate(3000, RUSH);
    expect(b.map((m) => m.topic)).toEqual(a.map((m) => m.topic));
    expect(b.map((m) => m.payload.toString())).toEqual(a.map((m) => m.payload.toString()));
    expect(c.map((m) => m.payload.toString())).not.toEqual(a.map((m) => m.payload.toString()));
  });

  it('has 300 cameras and 200 sensors by default, with unique ids and topics', () => {
    const sim = createSimulator({ areas: AREAS, rate: 10, seed: 1 });
    expect(sim.devices.filter((d) => d.family === 'camera')).toHaveLength(300);
    expect(sim.devices.filter((d) => d.family === 'sensor')).toHaveLength(200);
    const kinds = new Set(sim.devices.flatMap((d) => (d.family === 'sensor' ? [d.kind] : [])));
    expect([...kinds].sort()).toEqual(['air', 'network', 'noise', 'water', 'weather']);
    expect(sim.devices.filter((d) => d.family === 'service').length).toBeGreaterThan(0);
    expect(new Set(sim.devices.map((d) => d.topic)).size).toBe(sim.devices.length);
  });

  it('gives each kind of device one owner agency, leaves a few unregistered, and lists dead units that never report', () => {
    const sim = createSimulator({ areas: AREAS, rate: 1000, seed: 1 });
    const things = sim.devices.filter((d) => d.family !== 'service');
    const agencies = new Map<string, Set<string>>();
    for (const d of things) {
      const kind = d.family === 'camera' ? 'camera' : d.kind;
      if (d.owner) agencies.set(kind, (agencies.get(kind) ?? new Set()).add(d.owner.agency));
    }
    expect([...agencies.values()].map((a) => a.size)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(agencies.get('camera')).toEqual(new Set(['cong-an-thanh-pho']));
    const unregistered = things.filter((d) => d.owner === null).length;
    expect(unregistered).toBeGreaterThan(things.length * 0.02);
    expect(unregistered).toBeLessThan(things.length * 0.08);
    for (const d of sim.devices.filter((x) => x.family === 'service')) expect(d.owner.agency).toBe(d.id);
    // The dead units are registered in service and never publish.
    const dead = sim.inventory.filter((d) => !sim.devices.includes(d));
    expect(dead.length).toBe(Math.floor(things.length / 40));
    for (const d of dead)
      expect(d).toMatchObject({ id: expect.stringMatching(/-b$/), owner: { maintenance: 'in_service' } });
    const topics = new Set(sim.generate(20_000, RUSH).map((m) => m.topic));
    expect(dead.filter((d) => topics.has(d.topic))).toEqual([]);
    expect(things.filter((d) => topics.has(d.topic)).length).toBeGreaterThan(things.length * 0.9);
  });

  it('follows the wire contract in every event of every family', () => {
    const rate = 500;
    const count = 6000;
    const messages = createSimulator({ areas: AREAS, rate, seed: 3 }).generate(count, RUSH);
    expect(messages).toHaveLength(count);
    const families: Record<string, number> = {};
    const ids = new Set<string>();
    for (const m of messages) {
      const e = parse(m);
      expectCommon(e, RUSH, RUSH + (count * 1000) / rate);
      ids.add(e.id as string);
      const family = m.topic.split('/')[1]!;
      families[family] = (families[family] ?? 0) + 1;
      if (family === 'camera') expectCamera(m.topic, e);
      else if (family === 'sensor') expectSensor(m.topic, e);
      else if (family === 'service') expectService(m.topic, e);
      else if (family === 'feedback') expectFeedback(m.topic, e);
      else if (family === 'security') expect(m.topic).toBe(`city/security/${String(e.source)}`);
      else throw new Error(`unexpected topic ${m.topic}`);
    }
    expect(ids.size).toBe(count);
    expect(families.camera! / count).toBeGreaterThan(0.4);
    expect(families.sensor! / count).toBeGreaterThan(0.2);
    expect(families.service! / count).toBeGreaterThan(0.02);
  });

  it('keeps public-service work to office hours on working days: nights and weekends bring a few online filings', () => {
    const services = (at: number) =>
      createSimulator({ areas: AREAS, rate: 500, seed: 9 })
        .generate(20_000, at)
        .filter((m) => m.topic.startsWith('city/service/'))
        .map(parse);
    const monday = services(RUSH + 2 * 3_600_000);
    const sundayNight = services(Date.parse('2026-11-22T03:00:00+07:00'));
    const saturday = services(Date.parse('2026-11-21T10:00:00+07:00'));
    expect(monday.length).toBeGreaterThan(500);
    expect(monday.some((e) => e.status === 'completed')).toBe(true);
    for (const off of [sundayNight, saturday]) {
      expect(off.length).toBeGreaterThan(0);
      expect(off.length).toBeLessThan(monday.length / 5);
      expect(new Set(off.map((e) => `${String(e.status)}/${String(e.channel)}`))).toEqual(new Set(['received/online']));
    }
  });

  it('gives every day an afternoon storm that floods low-lying streets, and dry streets at night', () => {
    for (const day of ['2026-12-05', '2026-12-06', '2026-07-15']) {
      const depths = (hour: string) =>
        createSimulator({ areas: AREAS, rate: 500, seed: 7 })
          .generate(30_000, Date.parse(`${day}T${hour}+07:00`))
          .filter((m) => m.topic.startsWith('city/sensor/') && m.payload.includes('"waterLevelCm"'))
          .map((m) => (parse(m).metrics as { waterLevelCm: number }).waterLevelCm);
      const night = depths('03:00:00');
      expect(night.length).toBeGreaterThan(0);
      expect(night.filter((d) => d > 0)).toEqual([]);
      const storm = [...depths('15:00:00'), ...depths('18:00:00')];
      expect(Math.max(...storm), day).toBeGreaterThan(50);
      // Only the low-lying part of the city floods.
      expect(storm.filter((d) => d > 0).length).toBeLessThan(storm.length * 0.8);
    }
  });

  it('moves dossiers only along the allowed lifecycle', () => {
    const messages = createSimulator({ areas: AREAS, rate: 100, seed: 5, cameras: 0, sensors: 0 }).generate(5000, RUSH);
    const last = new Map<string, string>();
    let completed = 0;
    for (const m of messages) {
      const e = parse(m);
      const previous = last.get(e.dossierId as string);
      if (previous === undefined) expect(['received', 'processing']).toContain(e.status);
      else expect(NEXT_STATUS[previous], `${previous} → ${String(e.status)}`).toContain(e.status);
      last.set(e.dossierId as string, e.status as string);
      if (e.status === 'completed') completed++;
    }
    expect(completed).toBeGreaterThan(100);
  });

  it('is motorbike-dominated, slower and busier in the rush hour than at night', () => {
    const sample = (at: number) =>
      createSimulator({ areas: AREAS, rate: 300, seed: 11, sensors: 0, agencies: 0 })
        .generate(3000, at)
        .filter((m) => m.topic.startsWith('city/camera/'))
        .map(parse);
    const rush = sample(RUSH);
    const night = sample(NIGHT);
    const sum = (events: Json[], f: (e: Json) => number) => events.reduce((s, e) => s + f(e), 0);
    const counts = (e: Json) => e.counts as Record<string, number>;
    const vehicles = (e: Json) =>
      counts(e).car! + counts(e).motorbike! + counts(e).bus! + counts(e).truck! + counts(e).bicycle!;
    const share = sum(rush, (e) => counts(e).motorbike!) / sum(rush, vehicles);
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
    const speed = (events: Json[]) => sum(events, (e) => e.avgSpeedKmh as number) / events.length;
    expect(speed(rush)).toBeLessThan(speed(night) * 0.75);
    expect(sum(rush, vehicles)).toBeGreaterThan(sum(night, vehicles) * 4);
  });

  it('reads plausible Hanoi sensor values', () => {
    const events = createSimulator({ areas: AREAS, rate: 300, seed: 13, cameras: 0, agencies: 0 })
      .generate(4000, RUSH)
      .map(parse);
    const of = (kind: string, metric: string) =>
      events.filter((e) => e.kind === kind).map((e) => (e.metrics as Json)[metric] as number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // November: the smog season.
    expect(mean(of('air', 'pm25'))).toBeGreaterThan(30);
    expect(mean(of('air', 'pm25'))).toBeLessThan(150);
    expect(mean(of('noise', 'laeqDb'))).toBeGreaterThan(55);
    expect(mean(of('noise', 'laeqDb'))).toBeLessThan(80);
    const down = of('network', 'downMbps');
    expect(mean(down)).toBeGreaterThan(30);
    expect(mean(down)).toBeLessThan(90);
    expect(down.some((x) => x < 40)).toBe(true);
  });

  it('publishes at the set rate, in small slices, until stopped', async () => {
    const rate = 500;
    const seen: number[] = [];
    const sim = createSimulator({ areas: AREAS, rate, seed: 2 });
    sim.start(() => seen.push(Date.now()));
    expect(() => sim.start(() => undefined)).toThrow(/already started/);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    sim.stop();
    const total = seen.length;
    expect(total).toBeGreaterThan(rate * 2 * 0.8);
    expect(total).toBeLessThan(rate * 2 * 1.2);
    // Spread over the seconds: most of the twenty 100 ms windows have events, and the typical one holds a tenth of a
    // second's worth. (Not the fullest one: a runner that starves the timer for a moment gets that moment's events in
    // one slice, as it should.)
    const windows = new Map<number, number>();
    for (const t of seen) windows.set(Math.floor(t / 100), (windows.get(Math.floor(t / 100)) ?? 0) + 1);
    expect(windows.size).toBeGreaterThanOrEqual(15);
    const counts = [...windows.values()].sort((a, b) => a - b);
    expect(counts[Math.floor(counts.length / 2)]!).toBeLessThanOrEqual(rate * 0.2 + 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.length).toBe(total);
  });

  it('rejects a rate that is not a positive number', () => {
    expect(() => createSimulator({ areas: AREAS, rate: 0 })).toThrow(RangeError);
    expect(() => createSimulator({ areas: AREAS, rate: Number.NaN })).toThrow(/rate/);
    expect(() => createSimulator({ areas: [], rate: 10 })).toThrow(/areas/);
  });

  it('places devices inside the 126 wards and communes, most cameras in the urban phường', async () => {
    const hanoi = await loadAreas();
    const areas: SimArea[] = simulatorAreas(hanoi);
    const sim = createSimulator({ areas, rate: 100, seed: 4 });
    const urban = new Set(areas.filter((a) => a.urban).map((a) => a.code));
    const cameras = new Map<string, number>();
    for (const d of sim.devices) {
      if (d.family === 'service') continue;
      expect(hanoi.locate(d.lon, d.lat), d.id).toBe(d.area);
      if (d.family === 'camera') cameras.set(d.area, (cameras.get(d.area) ?? 0) + 1);
    }
    const urbanCameras = [...cameras].reduce((n, [area, k]) => n + (urban.has(area) ? k : 0), 0);
    // 51 of the 126 units are phường, on a tenth of the city's land, yet hold most of its people.
    expect(urbanCameras / 300).toBeGreaterThan(0.5);
    // Denser where the city is denser: a central phường gets more cameras per km² than a commune of Ba Vì.
    const centre = ['hoan_kiem', 'cua_nam', 'ba_dinh', 'dong_da', 'kim_lien', 'van_mieu_quoc_tu_giam'];
    const ruralBaVi = hanoi.areas.filter((a) => a.parent === 'former_ba_vi').map((a) => a.code);
    const density = (codes: string[]) =>
      codes.reduce((n, c) => n + (cameras.get(c) ?? 0), 0) / codes.reduce((n, c) => n + hanoi.get(c)!.areaKm2, 0);
    expect(density(centre)).toBeGreaterThan(10 * density(ruralBaVi));
  });
});

describe("the simulator's citizens' reports", () => {
  const NEXT: Record<string, string[]> = {
    received: ['assigned'],
    assigned: ['processing'],
    processing: ['resolved', 'rejected'],
    resolved: ['reopened'],
    reopened: ['resolved'],
  };
  // Two days and a half from a Monday's midnight, a report a few minutes: lifecycles run to their end.
  const FROM = Date.parse('2026-11-23T00:00:00+07:00');
  const reports = createSimulator({ areas: AREAS, rate: 1, seed: 21, cameras: 60, sensors: 40, agencies: 0 })
    .generate(60 * 3600, FROM)
    .filter((m) => m.topic.startsWith('city/feedback/'))
    .map(parse);

  it('moves each report along its lifecycle, assigned to its ward, with ratings on resolutions only', () => {
    expect(reports.length).toBeGreaterThan(1000);
    const last = new Map<string, Json>();
    for (const e of reports) {
      const previous = last.get(e.reportId as string);
      if (previous === undefined) expect(e.status).toBe('received');
      else {
        expect(NEXT[previous.status as string], `${String(previous.status)} → ${String(e.status)}`).toContain(e.status);
        expect([e.category, e.channel, e.area, e.lat]).toEqual([
          previous.category,
          previous.channel,
          previous.area,
          previous.lat,
        ]);
      }
      if (e.status === 'received') expect([e.unit, e.dueAt]).toEqual([undefined, undefined]);
      else expect(e.unit).toMatch(/^ubnd-[a-z-]+$/);
      if (e.rating !== undefined) expect(e.status).toBe('resolved');
      last.set(e.reportId as string, e);
    }
  });

  it('resolves most reports by their due time, some late, rejects a few and sees some reopened', () => {
    const resolutions = reports.filter((e) => e.status === 'resolved');
    const onTime = resolutions.filter((e) => Date.parse(e.ts as string) <= Date.parse(e.dueAt as string)).length;
    expect(onTime / resolutions.length).toBeGreaterThan(0.75);
    expect(onTime / resolutions.length).toBeLessThan(0.97);
    const share = (status: string) => reports.filter((e) => e.status === status).length / resolutions.length;
    expect(share('rejected')).toBeGreaterThan(0.01);
    expect(share('rejected')).toBeLessThan(0.1);
    expect(share('reopened')).toBeGreaterThan(0.02);
    expect(share('reopened')).toBeLessThan(0.15);
    const rated = resolutions.filter((e) => e.rating !== undefined);
    expect(rated.length / resolutions.length).toBeGreaterThan(0.5);
    const mean = rated.reduce((s, e) => s + (e.rating as number), 0) / rated.length;
    expect(mean).toBeGreaterThan(3.5);
    expect(mean).toBeLessThan(4.8);
  });

  it('hears more from the dense urban wards and by day than in the small hours, over every channel and category', () => {
    const received = reports.filter((e) => e.status === 'received');
    const hour = (e: Json) => ((Date.parse(e.ts as string) - FROM) / 3_600_000) % 24;
    const night = received.filter((e) => hour(e) >= 1 && hour(e) < 4).length;
    const morning = received.filter((e) => hour(e) >= 9 && hour(e) < 12).length;
    expect(morning).toBeGreaterThan(4 * night);
    const units = reports.filter((e) => e.status === 'assigned').map((e) => e.unit as string);
    const urban = units.filter((u) => u.endsWith('-urban')).length;
    expect(urban / units.length).toBeGreaterThan(0.7);
    expect(new Set(received.map((e) => e.channel))).toEqual(new Set(['app', 'hotline', 'web', 'social']));
    expect(new Set(received.map((e) => e.category)).size).toBe(9);
  });
});
