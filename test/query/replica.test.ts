// The analysts' replica: what they read is what the engine committed, across restarts, without the engine's bookkeeping.
import { rmSync } from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { camera, security } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine | undefined;
let dataDir = '';
afterAll(async () => {
  await engine?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('analysts’ replica', () => {
  it('holds every committed row, hides the batch column, serves the views and macros, and is whole again after a restart', async () => {
    const first = await startTestEngine();
    dataDir = first.dir;
    const pub = await mqtt.connectAsync(first.mqttUrl, { clientId: `replica-${process.pid}` });
    const ts = new Date().toISOString();
    await pub.publishAsync(
      'city/camera/r',
      JSON.stringify(Array.from({ length: 25 }, (_, i) => camera(i, { id: `rep-${i}`, ts }))),
      { qos: 1 },
    );
    await pub.endAsync();
    await until(
      () => first.sql("SELECT count(*) FROM camera_events WHERE id LIKE 'rep-%'"),
      (r) => r[0]?.[0] === 25,
    );
    // Analysts never see the engine's batch numbers, neither in rows nor in the catalog.
    const cols = await first.post('/api/sql', { sql: 'SELECT * FROM camera_events LIMIT 1' });
    expect(cols.body.columns.map((c: { name: string }) => c.name)).not.toContain('_batch');
    const catalog = (await first.get('/api/catalog')).body.tables as { name: string; columns: { name: string }[] }[];
    expect(catalog.flatMap((t) => t.columns.map((c) => c.name))).not.toContain('_batch');
    expect(catalog.map((t) => t.name)).toEqual(
      expect.arrayContaining(['camera_events', 'traffic_flow', 'data_quality', 'sql_audit', 'saved_queries']),
    );
    expect(await first.sql('SELECT vn_aqi_category(10)')).toEqual([['Tốt']]);
    expect((await first.post('/api/sql', { sql: 'SELECT * FROM data_quality' })).status).toBe(200);
    await first.settle();
    const rollup = await first.sql("SELECT sum(value) FROM traffic_flow WHERE area = 'hanoi'");
    expect(rollup[0]![0]).toBeGreaterThan(0);
    await first.stop();

    // A restart with nothing new arriving: the replica is rebuilt whole from the engine's database.
    engine = await startTestEngine({ dataDir });
    expect(await engine.sql("SELECT count(*) FROM camera_events WHERE id LIKE 'rep-%'")).toEqual([[25]]);
    expect(await engine.sql("SELECT sum(value) FROM traffic_flow WHERE area = 'hanoi'")).toEqual(rollup);
    expect((await engine.sql("SELECT count(*) FROM sql_audit WHERE sql LIKE '%rep-%'"))[0]![0]).toBeGreaterThan(0);
  });

  it('drops a rollup row the engine deleted: a first report arriving after the resolution moves the incident a day', async () => {
    if (!engine) throw new Error('the first test did not leave an engine');
    const day = 86_400_000;
    const hanoi = 7 * 3_600_000;
    const midnight = Math.floor((Date.now() + hanoi) / day - 3) * day - hanoi;
    const at = (ms: number) => new Date(midnight + ms).toISOString();
    const ev = (i: number, ts: string, status: string) =>
      security(i, {
        id: `rep-moved-${i}`,
        incidentId: 'INC-REP-MOVED',
        area: 'tay_ho',
        ts,
        status,
        detectedAt: at(-3_600_000),
      });
    const days = async () =>
      (
        await engine!.sql(
          `SELECT epoch_ms(t) FROM security_detected_1h WHERE area = 'tay_ho' AND t >= make_timestamptz(${midnight - day}::BIGINT * 1000) ORDER BY t`,
        )
      ).map((r) => Number(r[0]));
    const pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `replica-moved-${process.pid}` });
    await pub.publishAsync('city/security/siem', JSON.stringify(ev(1, at(3_600_000), 'resolved')), { qos: 1 });
    expect(await until(days, (d) => d.length > 0, 20_000)).toEqual([midnight]);
    await pub.publishAsync('city/security/siem', JSON.stringify(ev(2, at(-1_800_000), 'detected')), { qos: 1 });
    await pub.endAsync();
    expect(await until(days, (d) => d[0] === midnight - day, 20_000)).toEqual([midnight - day]);
  });
});
