// A newcomer's first `npm start`: with the simulator on and an empty database, the engine writes the last 24 hours of
// simulated city before going live, so the VN_AQI, the trends and yesterday's briefing have data at once; and what
// it shows is marked as simulated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hanoiYesterday } from '../support/briefing-day.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let startMs = 0;

beforeAll(async () => {
  const began = performance.now();
  engine = await startTestEngine({ simulate: true, simRate: 20, simBackfillH: 24, tickMs: 1000 });
  startMs = performance.now() - began;
}, 240_000);
afterAll(async () => {
  await engine?.dispose();
});

describe('the first start with the simulator', () => {
  it('has a day of history the moment it is up, marked as simulated', async () => {
    console.log(`first start: ${Math.round(startMs)} ms to a full city`);
    const health = await engine.get('/api/health');
    expect(health.body.simulated).toBe(true);
    expect(health.body.views.dirtyWindows).toBe(0);

    // Every hour of the last day has traffic.
    const from = new Date(Date.now() - 23 * 3_600_000).toISOString();
    const flow = await engine.get(`/api/indicators/traffic_flow?area=hanoi&from=${from}&bucket=1h`);
    const hours = (flow.body.rows as { value: number | null }[]).map((r) => r.value);
    expect(hours.length).toBeGreaterThanOrEqual(23);
    expect(hours.filter((v) => v === null || v <= 0)).toEqual([]);

    // The VN_AQI (a NowCast over 12 hours of PM2.5) has a value in every ward with an air sensor.
    const withAir = (await engine.sql("SELECT DISTINCT area FROM sensor_events WHERE kind = 'air'")).map((r) => r[0]);
    expect(withAir.length).toBeGreaterThan(20);
    const recent = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const aqi = await engine.get(`/api/indicators/aqi?level=ward&from=${recent}`);
    const valued = new Set(
      (aqi.body.rows as { area: string; value: number | null }[]).filter((r) => r.value !== null).map((r) => r.area),
    );
    expect(withAir.filter((a) => !valued.has(a as string))).toEqual([]);

    // The history's rollups are stored in time order, not view by view as they were rolled up (each view's rows then
    // spanned the whole day), so a tick's joins with them skip the hours it does not touch. The few rows the live ticks
    // wrote since (a late event's window, appended) do not move the correlation.
    const [[order, stored]] = (
      await engine.store.reader.query(`SELECT corr(rowid, epoch(t)), count(*) FROM rollups
      WHERE t < now() - INTERVAL 2 HOUR`)
    ).rows as [[number, number]];
    expect(Number(stored)).toBeGreaterThan(10_000);
    expect(order).toBeGreaterThan(0.95);

    // Yesterday's briefing is written from data.
    const briefing = await engine.get(`/api/briefing?date=${hanoiYesterday()}`);
    expect(briefing.body).toMatchObject({ hasData: true, simulated: true });
  });

  it('writes no history over a database that already holds events', async () => {
    const rows = Number((await engine.sql('SELECT count(*) FROM camera_events'))[0]![0]);
    expect(rows).toBeGreaterThan(100_000);
    await engine.stop();
    const again = await startTestEngine({ dataDir: engine.dir, simulate: true, simRate: 1, simBackfillH: 24 });
    try {
      // Only what the live simulator sent since (a second's worth at most), not another day.
      const after = Number((await again.sql('SELECT count(*) FROM camera_events'))[0]![0]);
      expect(after - rows).toBeLessThan(100);
    } finally {
      await again.stop();
    }
  });
});
