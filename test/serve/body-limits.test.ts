// Oversized request bodies get a JSON 413 naming the limit once it is passed, and the rest is neither read nor buffered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { floodUpload } from './raw-http.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const TOTAL = 64 * MiB;
const CHUNK = 64 * KiB;
const INGEST_LIMIT = 4 * MiB;
/** What may sit in flight past the limit: the sender's and receiver's socket buffers on loopback, and a few chunks. */
const SLACK = 16 * MiB;

/** A chunked body whose bytes are made only when the sender asks for them; `pulled` counts what it was asked for. */
function producer(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) {
          controller.close();
          return;
        }
        pulled += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

async function streamTo(url: string): Promise<{ status: number | null; body: any; pulled: number; rssGrowth: number }> {
  const rss = process.memoryUsage().rss;
  const p = producer(TOTAL);
  const init = {
    method: 'POST',
    body: p.stream,
    duplex: 'half',
    headers: { 'content-type': 'application/json' },
  } as RequestInit & { duplex: 'half' };
  const grown = () => ({ pulled: p.pulled(), rssGrowth: process.memoryUsage().rss - rss });
  try {
    const res = await fetch(url, init);
    const body: unknown = await res.json();
    return { status: res.status, body, ...grown() };
  } catch (err) {
    // The server closed while the body was still being written: the write fails before the answer is read.
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code !== 'EPIPE' && code !== 'ECONNRESET') throw err;
    return { status: null, body: null, ...grown() };
  }
}

const ROUTES = [
  { path: '/api/sql', limit: MiB, named: /over the limit of 1 MiB \(1048576 bytes\)/ },
  { path: '/api/alerts/x/ack', limit: MiB, named: /over the limit of 1 MiB \(1048576 bytes\)/ },
  {
    path: '/api/ingest?family=camera',
    limit: INGEST_LIMIT,
    named: /over the limit of 4 MiB \(4194304 bytes\), set by INGEST_MAX_BYTES/,
  },
];

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ ingestMaxBytes: INGEST_LIMIT });
});
afterAll(async () => {
  await engine?.dispose();
});

describe('a body far over the limit', () => {
  for (const r of ROUTES) {
    it(`POST ${r.path}: streamed 64 MiB, refused at the limit without buffering the rest`, async () => {
      const got = await streamTo(engine.url + r.path);
      // As below: the answer's close may reach the sender as a reset before it reads the 413 (streamTo lets only that
      // through); what was pulled from the sender is bounded either way.
      if (got.status !== null) {
        expect(got.status).toBe(413);
        expect(got.body).toEqual({
          error: { code: 'too_large', message: expect.stringMatching(r.named), limitBytes: r.limit },
        });
      }
      expect(got.pulled).toBeLessThan(r.limit + SLACK);
      expect(got.rssGrowth).toBeLessThan(100 * MiB);
    });

    for (const framing of ['chunked', 'declared'] as const) {
      it(`POST ${r.path}: a client that keeps sending a ${framing} body is cut off at the limit`, async () => {
        const got = await floodUpload(engine.url, r.path, TOTAL, framing);
        expect(got.written).toBeLessThan(r.limit + SLACK);
        // Closing on a sender that will not stop ends in a reset, which may drop the 413 it had not read yet.
        if (got.status === null) expect(got.reset).toBe(true);
        else
          expect(got).toMatchObject({
            status: 413,
            body: { error: { code: 'too_large', message: expect.stringMatching(r.named) } },
          });
      });
    }
  }

  it('keeps serving afterwards', async () => {
    expect(await engine.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('bodies within the limits', () => {
  it('a route with a cap below the default names its own', async () => {
    const ack = await engine.post('/api/alerts/x/ack', { by: 'op', comment: 'x'.repeat(100 * KiB) });
    expect(ack).toMatchObject({
      status: 413,
      body: { error: { code: 'too_large', message: expect.stringMatching(/64 KiB \(65536 bytes\)/) } },
    });
    const put = await fetch(`${engine.url}/api/queries/big`, {
      method: 'PUT',
      body: JSON.stringify({ sql: 'SELECT 1', pad: 'x'.repeat(300 * KiB) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(413);
    expect(await put.json()).toMatchObject({
      error: { code: 'too_large', message: expect.stringMatching(/256 KiB \(262144 bytes\)/) },
    });
  });

  it('takes an SQL body just under 1 MiB, declared or chunked', async () => {
    const text = JSON.stringify({ sql: 'SELECT 42 AS answer', pad: 'x'.repeat(MiB - 100) });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MiB);
    const declared = await engine.post('/api/sql', text);
    expect(declared).toMatchObject({ status: 200, body: { rows: [[42]] } });
    const bytes = new TextEncoder().encode(text);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += CHUNK) controller.enqueue(bytes.subarray(at, at + CHUNK));
        controller.close();
      },
    });
    const init = {
      method: 'POST',
      body: chunked,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit & { duplex: 'half' };
    const res = await fetch(`${engine.url}/api/sql`, init);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: [[42]] });
  });

  it('ingests a body under INGEST_MAX_BYTES though it is over the API default', async () => {
    const events = Array.from({ length: 6000 }, (_, i) =>
      camera(i % 50, { id: `big-${i}`, ts: new Date(Date.now() - 60_000).toISOString() }),
    );
    const text = JSON.stringify(events);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MiB);
    expect(Buffer.byteLength(text)).toBeLessThan(INGEST_LIMIT);
    const res = await engine.post('/api/ingest?family=camera', text);
    expect(res).toMatchObject({ status: 200, body: { family: 'camera', events: 6000 } });
  });
});
