// POST /api/ingest end to end: JSON arrays and NDJSON stored once, answered event by event after the commit, bad
// events dead-lettered with their reason, the body limit and a busy engine answered as errors; GET /metrics counts it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor, service } from '../support/events.ts';

let engine: TestEngine;
const now = Date.now();
const at = (i: number) => new Date(now - 60_000 + i).toISOString();

beforeAll(async () => {
  engine = await startTestEngine({ ingestMaxBytes: 64 * 1024, batchAgeMs: 20 });
});
afterAll(async () => {
  await engine?.dispose();
});

const ndjson = (events: unknown[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('POST /api/ingest', () => {
  it('stores a JSON array, answering after the commit how many were stored, repeated and rejected, and why', async () => {
    const events = [
      camera(1, { id: 'http-cam-1', ts: at(1) }),
      camera(2, { id: 'http-cam-2', ts: at(2) }),
      camera(3, {
        id: 'http-cam-3',
        ts: at(3),
        counts: { car: -1, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 },
      }),
      camera(4, { id: 'http-cam-1', ts: at(4) }), // the same id again in one body
    ];
    const res = await engine.post('/api/ingest?family=camera', events);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      family: 'camera',
      events: 4,
      stored: 2,
      duplicates: 1,
      rejected: [{ index: 2, id: 'http-cam-3', reason: expect.stringMatching(/^element 3: .*field "counts\.car"/) }],
    });
    // Stored means committed: the rows are there the moment the answer is.
    expect(await engine.sql("SELECT count(*) FROM camera_events WHERE id LIKE 'http-cam-%'")).toEqual([[2]]);
    expect(
      await engine.sql("SELECT source, topic, reason LIKE '%counts.car%' FROM dead_letters WHERE source = 'http'"),
    ).toEqual([['http', 'city/camera/http', true]]);
    // Sent again: everything is a repeat.
    const again = await engine.post('/api/ingest?family=camera', events.slice(0, 2));
    expect(again.body).toMatchObject({ stored: 0, duplicates: 2, rejected: [] });
  });

  it('takes NDJSON, naming the line of each bad one (not JSON, wrong type, year 1900)', async () => {
    const body = [
      JSON.stringify(sensor(1, 'air', { id: 'http-sen-1', ts: at(10) })),
      '{"id": "http-sen-2", "ts": ',
      JSON.stringify(sensor(3, 'air', { id: 'http-sen-3', ts: at(12), lat: 'NaN' })),
      JSON.stringify(sensor(4, 'water', { id: 'http-sen-4', ts: '1900-01-01T00:00:00Z' })),
      JSON.stringify(sensor(5, 'noise', { id: 'http-sen-5', ts: at(14) })),
    ].join('\n');
    const res = await engine.post('/api/ingest?family=sensor', body, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(2);
    expect(res.body.rejected.map((r: { index: number; id: string | null }) => [r.index, r.id])).toEqual([
      [1, null],
      [2, 'http-sen-3'],
      [3, 'http-sen-4'],
    ]);
    expect(res.body.rejected[0].reason).toMatch(/^line 2: not valid JSON/);
    expect(res.body.rejected[1].reason).toMatch(/field "lat"/);
    expect(res.body.rejected[2].reason).toMatch(/field "ts"/);
  });

  it('dead-letters a body that is not JSON at all, as one rejected message', async () => {
    const res = await engine.post('/api/ingest?family=service', 'this is not json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      family: 'service',
      events: 1,
      stored: 0,
      duplicates: 0,
      rejected: [{ index: null, id: null, reason: expect.stringMatching(/not valid JSON/) }],
    });
  });

  it('refuses an unknown family, a body over INGEST_MAX_BYTES, and other methods, as JSON errors', async () => {
    const bad = await engine.post('/api/ingest?family=weather', [service(1)]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/family.*camera, sensor, service, security or feedback/);
    const big = await engine.post(
      '/api/ingest?family=service',
      ndjson(Array.from({ length: 400 }, (_, i) => service(i, { id: `big-${i}`, ts: at(i) }))),
    );
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'too_large', message: expect.stringMatching(/INGEST_MAX_BYTES/) });
    expect(await engine.sql("SELECT count(*) FROM service_events WHERE id LIKE 'big-%'")).toEqual([[0]]);
    const get = await engine.get('/api/ingest?family=camera');
    expect(get.status).toBe(404);
  });

  it('answers 503 with Retry-After while the engine is too far behind, and takes the body once it has caught up', async () => {
    // A commit that cannot keep up: the batcher holds more than a few batches' worth of rows.
    const rows = Array.from({ length: 4 * engine.config.batchRows + 2 }, (_, i) =>
      camera(i, { id: `backlog-${i}`, ts: at(i % 50_000) }),
    );
    const writer = engine.store.writer;
    const original = writer.transaction.bind(writer);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    writer.transaction = (async (work: () => Promise<unknown>) => {
      await gate;
      return original(work);
    }) as typeof writer.transaction;
    try {
      const before = engine.batcher.stats.messages;
      const first = fetch(`${engine.url}/api/ingest?family=camera`, { method: 'POST', body: ndjson(rows.slice(0, 1)) });
      // Its commit is under way (held at the gate) before the backlog comes: on a busy runner that takes a while.
      await until(
        () => engine.batcher.stats.messages > before && engine.batcher.pendingRows === 0,
        (ok) => ok,
        10_000,
      );
      for (let i = 1; i < rows.length; i += 1000) {
        engine.ingest({
          source: 'test',
          topic: 'city/camera/x',
          payload: new TextEncoder().encode(ndjson(rows.slice(i, i + 1000))),
          receivedAt: Date.now(),
          ack: () => undefined,
        });
      }
      expect(engine.batcher.pendingRows).toBeGreaterThan(4 * engine.config.batchRows);
      const busy = await fetch(`${engine.url}/api/ingest?family=camera`, {
        method: 'POST',
        body: JSON.stringify([camera(9, { id: 'busy-1', ts: at(9) })]),
      });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(((await busy.json()) as { error: { message: string } }).error.message).toMatch(/behind/);
      release();
      expect((await first).status).toBe(200);
    } finally {
      writer.transaction = original;
      release();
    }
    await engine.settle();
    const ok = await engine.post('/api/ingest?family=camera', [camera(9, { id: 'busy-1', ts: at(9) })]);
    expect(ok.body).toMatchObject({ stored: 1 });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with events by family and source, batches, sources, sockets, the DuckDB size and memory', async () => {
    const res = await fetch(`${engine.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (pattern: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(pattern));
      if (!line) throw new Error(`no metric line starting with ${pattern}`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(value('ioc_events_received_total{family="camera",source="http"}')).toBeGreaterThanOrEqual(5);
    expect(value('ioc_events_rejected_total{family="camera",source="http"}')).toBe(1);
    expect(value('ioc_events_rejected_total{family="service",source="http"}')).toBe(1);
    expect(value('ioc_events_stored_total{family="sensor"}')).toBe(2);
    expect(value('ioc_events_duplicate_total{family="camera"}')).toBeGreaterThanOrEqual(3);
    expect(value('ioc_batch_rows_count')).toBeGreaterThan(0);
    expect(value('ioc_batch_flush_seconds_count')).toBeGreaterThan(0);
    expect(value('ioc_source_connected{source="mqtt"}')).toBe(1);
    expect(value('ioc_source_in_flight{source="mqtt"}')).toBe(0);
    expect(value('ioc_socketio_clients')).toBe(0);
    expect(value('ioc_duckdb_file_bytes')).toBeGreaterThan(0);
    expect(value('ioc_ingest_pending_rows')).toBe(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    // DuckDB's share of that memory, by instance and by what holds it: both instances hold some, and no more than the
    // process as a whole.
    const held = (database: string): number =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`ioc_duckdb_memory_bytes{database="${database}",tag="`))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(text).toMatch(/^ioc_duckdb_memory_bytes\{database="engine",tag="[A-Z_]+"\} \d+$/m);
    expect(held('engine')).toBeGreaterThan(0);
    expect(held('analysts')).toBeGreaterThan(0);
    expect(held('engine') + held('analysts')).toBeLessThan(value('process_resident_memory_bytes'));
  });
});
