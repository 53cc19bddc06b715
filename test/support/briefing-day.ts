// One Hanoi day of city events with known stories (smog in Đống Đa, a jam in Hoàn Kiếm, a flood in Hoàng Mai, citizens'
// reports), for briefing tests.
import type { TestEngine } from './engine.ts';

type Ev = Record<string, unknown>;
const HOUR = 3_600_000;

/** Yesterday's date in Hanoi: inside the raw retention, and complete. */
export function hanoiYesterday(now = Date.now()): string {
  return new Date(now + 7 * HOUR - 86_400_000).toISOString().slice(0, 10);
}

export function briefingDay(date: string): { camera: Ev[]; sensor: Ev[]; service: Ev[]; feedback: Ev[] } {
  const day = Date.parse(`${date}T00:00:00+07:00`);
  const at = (h: number, m = 0): string => new Date(day + h * HOUR + m * 60_000).toISOString();
  const camera: Ev[] = [];
  const cams = [
    { id: 'bf-cam-hk', area: 'hoan_kiem', lat: 21.0295, lon: 105.8523 },
    { id: 'bf-cam-dd', area: 'dong_da', lat: 21.017, lon: 105.8222 },
    { id: 'bf-cam-cg', area: 'cau_giay', lat: 21.0282, lon: 105.788 },
  ];
  for (let h = 0; h < 24; h++) {
    for (let m = 0; m < 60; m += 10) {
      for (const c of cams) {
        const jam = c.area === 'hoan_kiem' && h >= 7 && h < 9;
        const ev: Ev = {
          id: `${c.id}-${h}-${m}`,
          ts: at(h, m),
          cameraId: c.id,
          lat: c.lat,
          lon: c.lon,
          area: c.area,
          counts: { car: 10, motorbike: 60, bus: 2, truck: 1, bicycle: 3, pedestrian: 8 },
          intervalS: 600,
          avgSpeedKmh: jam ? 9 : 32,
          occupancy: jam ? 0.8 : 0.3,
        };
        if (jam && m <= 30 && h === 7) ev['incident'] = { type: 'congestion', confidence: 0.9 };
        if (c.area === 'dong_da' && h === 17 && m === 0) ev['incident'] = { type: 'accident', confidence: 0.8 };
        camera.push(ev);
      }
    }
  }
  const sensor: Ev[] = [];
  const air = [
    { id: 'bf-air-dd', area: 'dong_da', lat: 21.017, lon: 105.8222, pm: (h: number) => (h >= 6 && h < 14 ? 95 : 18) },
    {
      id: 'bf-air-hk',
      area: 'hoan_kiem',
      lat: 21.0295,
      lon: 105.8523,
      pm: (h: number) => (h >= 7 && h < 10 ? 70 : 16),
    },
    { id: 'bf-air-cg', area: 'cau_giay', lat: 21.0282, lon: 105.788, pm: () => 12 },
  ];
  for (let h = 0; h < 24; h++) {
    for (const s of air) {
      sensor.push({
        id: `${s.id}-${h}`,
        ts: at(h, 10),
        sensorId: s.id,
        kind: 'air',
        lat: s.lat,
        lon: s.lon,
        area: s.area,
        metrics: { pm25: s.pm(h), pm10: s.pm(h) * 1.4 },
      });
    }
  }
  for (let h = 0; h < 24; h++) {
    for (const m of [0, 30]) {
      sensor.push({
        id: `bf-water-hm-${h}-${m}`,
        ts: at(h, m),
        sensorId: 'bf-water-hm',
        kind: 'water',
        lat: 20.9751,
        lon: 105.8621,
        area: 'hoang_mai',
        metrics: { waterLevelCm: h >= 14 && h < 16 ? 62 : 18, rainfallMm: 1 },
      });
    }
  }
  const service: Ev[] = [];
  for (let i = 0; i < 10; i++) {
    const base = {
      dossierId: `bf-hs-${i}`,
      procedure: 'Cấp giấy phép xây dựng',
      agency: 'ubnd-dong-da',
      channel: i < 7 ? 'online' : 'counter',
      level: 'full',
      area: 'dong_da',
      dueAt: at(23, 59),
      onlinePayment: i < 5,
    };
    service.push({ ...base, id: `bf-svc-${i}-r`, ts: at(8, i), status: 'received' });
    service.push({ ...base, id: `bf-svc-${i}-c`, ts: at(15, i), status: 'completed' });
  }
  // Ten citizens' reports due at 17:00: four resolved on time (rated 5, 4, 4, 3), one late (rated 2), one rejected, one
  // resolved at 11:00 and reopened at 14:00, three never settled. Waste 6, traffic 3, lighting 1.
  const reports: [area: string, category: string, end: string][] = [
    ['hoan_kiem', 'waste', 'on_time'],
    ['hoan_kiem', 'waste', 'on_time'],
    ['dong_da', 'waste', 'on_time'],
    ['dong_da', 'waste', 'on_time'],
    ['hoan_kiem', 'traffic', 'late'],
    ['dong_da', 'waste', 'rejected'],
    ['hoan_kiem', 'waste', 'reopened'],
    ['hoan_kiem', 'traffic', 'open'],
    ['dong_da', 'lighting', 'open'],
    ['cau_giay', 'traffic', 'open'],
  ];
  const ratings = [5, 4, 4, 3];
  const feedback: Ev[] = [];
  reports.forEach(([area, category, end], i) => {
    const base = { reportId: `bf-pa-${i}`, category, channel: 'hotline', area };
    const ev = (status: string, ts: string, more: Ev = {}): Ev => ({
      ...base,
      id: `bf-fb-${i}-${status}`,
      ts,
      status,
      ...more,
    });
    const assigned = { unit: `ubnd-${area.replace(/_/g, '-')}`, dueAt: at(17) };
    feedback.push(ev('received', at(8, i)), ev('assigned', at(9), assigned), ev('processing', at(10), assigned));
    if (end === 'on_time') feedback.push(ev('resolved', at(15), { ...assigned, rating: ratings[i] }));
    if (end === 'late') feedback.push(ev('resolved', at(18), { ...assigned, rating: 2 }));
    if (end === 'rejected') feedback.push(ev('rejected', at(12), assigned));
    if (end === 'reopened') feedback.push(ev('resolved', at(11), assigned), ev('reopened', at(14), assigned));
  });
  return { camera, sensor, service, feedback };
}

/** Posts the day through HTTP ingest and waits until the views have refreshed it. */
export async function loadBriefingDay(engine: TestEngine, date: string): Promise<void> {
  const day = briefingDay(date);
  for (const family of ['camera', 'sensor', 'service', 'feedback'] as const) {
    const res = await engine.post(`/api/ingest?family=${family}`, day[family]);
    if (res.status !== 200 || res.body.rejected.length > 0)
      throw new Error(`ingest of ${family} failed: ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  await engine.settle();
  // A view kept as partial rollups merges them into its day window on the tick after the partials changed.
  await engine.settle();
}
