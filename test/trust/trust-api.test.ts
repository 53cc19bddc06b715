// GET /api/trust on a running engine: the sources reporting and silent per family (a registered camera that never
// sent is silent), today's late, rejected and duplicated counts, and the agencies to chase first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustSchema } from '../../dashboards/shared/wire/index.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera } from '../support/events.ts';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.dispose();
});

describe('GET /api/trust', () => {
  it('counts reporting, silent, late, rejected and duplicated sources per family, worst agencies first', async () => {
    const res = await fetch(`${engine.url}/api/devices/cam-silent`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        family: 'camera',
        agency: 'so-xay-dung',
        agencyName: 'Sở Xây dựng',
        maintenance: 'in_service',
        area: 'hoan_kiem',
      }),
    });
    expect(res.status).toBe(200);
    const now = Date.now();
    const fresh = camera(1, { id: 'tr-1', cameraId: 'cam-a', ts: new Date(now - 2_000).toISOString() });
    const events = [
      fresh,
      fresh, // the same event twice: a duplicate
      camera(2, { id: 'tr-2', cameraId: 'cam-a', ts: new Date(now - 1_000).toISOString() }),
      // Five minutes late.
      camera(3, { id: 'tr-3', cameraId: 'cam-b', ts: new Date(now - 300_000).toISOString() }),
    ];
    expect((await engine.post('/api/ingest?family=camera', events)).status).toBe(200);
    // A message that cannot be decoded: rejected, counted against the camera it names.
    await engine.post('/api/ingest?family=camera', [{ ...camera(4, { cameraId: 'cam-b' }), counts: 'many' }]);

    // Answers are shared for a few seconds: ask once everything is committed.
    await until(
      () => engine.sql('SELECT (SELECT count(*) FROM camera_events), (SELECT count(*) FROM dead_letters)'),
      (rows) => rows[0]![0] === 3 && rows[0]![1] === 1,
    );
    const trust = trustSchema.parse((await engine.get('/api/trust')).body);
    expect(trust.families.map((f) => f.family)).toEqual(['camera', 'sensor', 'service', 'feedback']);
    // cam-a and cam-b sent; cam-silent is registered in service and never did. cam-b's event came five minutes late;
    // four messages arrived, one event twice, and one message was refused.
    expect(trust.families[0]).toMatchObject({
      reporting: 2,
      silent: 1,
      late: 1,
      received: 4,
      rejected: 1,
      duplicates: 1,
    });
    expect(trust.families[0]!.score).toBeGreaterThan(0);
    expect(trust.families[0]!.score).toBeLessThan(1);
    expect(trust.families.slice(1).every((f) => f.reporting === 0 && f.score === null)).toBe(true);
    expect(trust.agencies).toEqual([{ agency: 'so-xay-dung', name: 'Sở Xây dựng', devices: 1, silent: 1, score: 0 }]);
  });
});
