// A client that hangs up halfway through its upload is logged as a client abort, not as an engine error, and serving goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../engine/log.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { cutUpload } from './raw-http.ts';

interface Entry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}
const entries: Entry[] = [];
function capture(bindings: Record<string, unknown> = {}): Logger {
  const at = (level: Entry['level']) => (msg: string, fields?: Record<string, unknown>) => {
    entries.push({ level, msg, fields: { ...bindings, ...fields } });
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b) => capture({ ...bindings, ...b }),
  };
}

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({}, { log: capture() });
});
afterAll(async () => {
  await engine?.dispose();
});

describe('an upload cut short', () => {
  // Half of a body each route would take: over its limit, the 413 would come before the body is read.
  const cases = [
    { method: 'POST', path: '/api/sql', declared: 800_000 },
    { method: 'POST', path: '/api/ingest?family=camera', declared: 8_000_000 },
    { method: 'PUT', path: '/api/queries/q1', declared: 200_000 },
    { method: 'POST', path: '/api/alerts/x/ack', declared: 60_000 },
  ];
  for (const { method, path, declared } of cases) {
    for (const framing of ['declared', 'chunked'] as const) {
      it(`${method} ${path} (${framing}): logged as a client abort, and the engine still answers`, async () => {
        const from = entries.length;
        await cutUpload(engine.url, method, path, declared / 2, framing, declared);
        const seen = await until(
          () => entries.slice(from),
          (e) => e.some((x) => x.msg === 'client aborted the request'),
        );
        expect(seen.filter((e) => e.level === 'error')).toEqual([]);
        expect(seen.find((e) => e.msg === 'client aborted the request')).toMatchObject({
          level: 'info',
          fields: { part: 'http', method, path: path.split('?')[0] },
        });
        expect(await engine.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
      });
    }
  }

  it('logged no error at all along the way', () => {
    expect(entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
