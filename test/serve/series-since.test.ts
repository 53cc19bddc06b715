// GET /api/indicators/:name?since=: only the windows changed at or after `since`, each with its `updatedAt`, the moment
// a bound parameter; a `since` that is not an instant, or one with `bucket`, is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSeriesSchema } from '../../dashboards/shared/wire/changes.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, security } from '../support/events.ts';

const MINUTE = 60_000;
let engine: TestEngine;
const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
const [w1, w2] = [minute - 3 * MINUTE, minute - 2 * MINUTE];
let before: number;
let between: number;

const flow = (k: number, at: number, vehicles: number) =>
  camera(k, {
    id: `since-${k}`,
    ts: new Date(at + 10_000).toISOString(),
    counts: { car: vehicles, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 },
  });

const series = (query: Record<string, string>) =>
  engine.get(`/api/indicators/traffic_flow?${new URLSearchParams({ area: 'hanoi', ...query })}`);

async function cityFlow(t: number): Promise<number | null> {
  const { body } = await series({ from: new Date(w1).toISOString() });
  return (body.rows as { t: string; value: number }[]).find((r) => Date.parse(r.t) === t)?.value ?? null;
}

beforeAll(async () => {
  engine = await startTestEngine();
  before = Date.now();
  await engine.post('/api/ingest?family=camera', [flow(1, w1, 7)]);
  await until(
    () => cityFlow(w1),
    (v) => v === 7,
  );
  between = Date.now();
  await engine.post('/api/ingest?family=camera', [flow(2, w2, 9)]);
  await until(
    () => cityFlow(w2),
    (v) => v === 9,
  );
});
afterAll(async () => {
  await engine?.dispose();
});

describe('the series since a moment', () => {
  it('answers only the windows changed since then, each with the time it changed', async () => {
    const from = new Date(w1).toISOString();
    const all = await series({ from, since: new Date(before).toISOString() });
    expect(all.status).toBe(200);
    const parsed = changedSeriesSchema.parse(all.body);
    expect(parsed.rows.map((r) => [Date.parse(r.t), r.value])).toEqual([
      [w1, 7],
      [w2, 9],
    ]);
    for (const r of parsed.rows) expect(Date.parse(r.updatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const later = changedSeriesSchema.parse((await series({ from, since: new Date(between).toISOString() })).body);
    expect(later.rows.map((r) => [Date.parse(r.t), r.value])).toEqual([[w2, 9]]);
    expect(later.since).toBe(new Date(between).toISOString());

    const future = changedSeriesSchema.parse(
      (await series({ from, since: new Date(Date.now() + 60_000).toISOString() })).body,
    );
    expect(future.rows).toEqual([]);
  });

  it.each([
    ['garbage', 'yesterday'],
    ['an injection', "2026-01-01T00:00:00Z' OR 1=1 --"],
    ['no offset', '2026-01-01T00:00:00'],
    ['epoch milliseconds', '1767225600000'],
    ['a huge string', 'x'.repeat(5000)],
  ])('refuses %s', async (_what, since) => {
    const { status, body } = await series({ since });
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/^field "since": must be an RFC 3339 time with an offset/);
  });

  it('refuses since with a bucket, whose windows would mix changed and unchanged ones', async () => {
    const { status, body } = await series({ since: new Date(before).toISOString(), bucket: '1h' });
    expect(status).toBe(400);
    expect(body.error.message).toBe('field "since": cannot be combined with "bucket"');
  });

  it('answers a window deleted since then first, marked removed, so a resynchronising wall drops it too', async () => {
    const DAY = 86_400_000;
    const HANOI = 7 * 3_600_000;
    // A Hanoi midnight two days ago, within the raw retention.
    const midnight = Math.floor((Date.now() + HANOI) / DAY) * DAY - HANOI - 2 * DAY;
    const moved = (i: number, at: number, status: string) =>
      security(i, {
        id: `since-moved-${i}`,
        incidentId: 'INC-SINCE',
        ts: new Date(at).toISOString(),
        status,
        detectedAt: new Date(midnight - 3_600_000).toISOString(),
      });
    const detected = (q: Record<string, string> = {}) =>
      engine.get(
        `/api/indicators/security_detected_1h?${new URLSearchParams({
          area: 'hanoi',
          from: new Date(midnight - 3 * DAY).toISOString(),
          to: new Date(midnight + 3 * DAY).toISOString(),
          ...q,
        })}`,
      );
    const days = async () => ((await detected()).body.rows as { t: string }[]).map((r) => r.t).join(',');
    const [before, after] = [new Date(midnight - DAY).toISOString(), new Date(midnight).toISOString()];
    // The resolution, timed just after midnight, comes first: the incident counts on the day after it.
    await engine.post('/api/ingest?family=security', [moved(1, midnight + 3_600_000, 'resolved')]);
    await until(days, (d) => d === after);
    const deletedAfter = Date.now();
    // Its first report, timed before midnight, moves it to the day before: the later day's window is deleted.
    await engine.post('/api/ingest?family=security', [moved(2, midnight - 1_800_000, 'detected')]);
    await until(days, (d) => d === before);
    const changed = changedSeriesSchema.parse((await detected({ since: new Date(deletedAfter).toISOString() })).body);
    expect(changed.rows.map((r) => [r.t, r.removed ?? false])).toEqual([
      [after, true],
      [before, false],
    ]);
    expect(Date.parse(changed.rows[0]!.updatedAt)).toBeGreaterThanOrEqual(deletedAfter);
  });
});
