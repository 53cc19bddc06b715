// Requests are validated at the edge: a 400 names every field that is wrong, not only the first; JSON bodies are read
// whatever their content type, and an action may come without one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServeApp } from './serve-app.ts';

let a: ServeApp;
beforeAll(async () => {
  a = await serveApp();
});
afterAll(async () => {
  await a?.close();
});

const problem = (message: string) => ({ status: 400, body: { error: { code: 'bad_request', message } } });

describe('query strings', () => {
  it('every wrong field of a series query, in one answer', async () => {
    const res = await a.request('GET', '/api/indicators/pm25_1m?area=b%40d&from=yesterday&bucket=7w');
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(res.body.error.message.split('; ')).toEqual([
      'field "area": must be an area code such as hoan_kiem, former_ba_dinh or hanoi',
      'field "from": must be an RFC 3339 time with an offset, e.g. 2026-11-27T08:00:00+07:00',
      'field "bucket": must be a duration from 1m to 366d, such as 15m, 1h or 1d',
    ]);
  });

  it('the briefing, the alerts, the saved query runs and a device series', async () => {
    expect(await a.request('GET', '/api/briefing?span=month&lang=fr')).toMatchObject(
      problem('field "span": must be day or week; field "lang": must be vi or en'),
    );
    expect((await a.request('GET', '/api/alerts?severity=loud&limit=0')).body.error.message).toMatch(
      /^field "severity": .*; field "limit": /,
    );
    expect((await a.request('GET', '/api/queries/none/run?maxRows=0')).body.error.message).toMatch(
      /^field "maxRows": /,
    );
    expect(await a.request('GET', '/api/devices/a%20b/series?minutes=1')).toMatchObject(
      problem('field "id": must be a device id'),
    );
    expect((await a.request('GET', '/api/devices/cam-1/series?minutes=1')).body.error.message).toMatch(
      /^field "minutes": /,
    );
  });
});

describe('bodies', () => {
  it('every wrong field of an SQL body', async () => {
    const res = await a.request('POST', '/api/sql', { body: { sql: '', maxRows: 0, explain: 'why' } });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(res.body.error.message.split('; ').map((m: string) => m.split(':')[0])).toEqual([
      'field "sql"',
      'field "maxRows"',
      'field "explain"',
    ]);
  });

  it('a body that is not JSON, or not an object', async () => {
    expect(await a.request('POST', '/api/sql', { body: '{"sql": ' })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/^request body is not valid JSON: /) } },
    });
    expect(await a.request('POST', '/api/sql', { body: '[1]' })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/^body: /) } },
    });
  });

  it('is read as JSON whatever its content type says', async () => {
    const res = await a.request('POST', '/api/sql', {
      body: '{"sql": "SELECT 42 AS answer"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res).toMatchObject({ status: 200, body: { rows: [[42]] } });
  });

  it('a saved query: its name from the path, then every problem of its body', async () => {
    expect(
      (await a.request('PUT', '/api/queries/Bad%20Name', { body: { sql: '', wall: 'yes' } })).body.error.message,
    ).toMatch(/^field "name": must be lower case/);
    const res = await a.request('PUT', '/api/queries/good_name', { body: { sql: '', wall: 'yes' } });
    expect(res.body.error.message.split('; ').map((m: string) => m.split(':')[0])).toEqual([
      'field "sql"',
      'field "wall"',
    ]);
  });

  it('an action needs no body; a checklist step is a number from 1', async () => {
    const ack = await a.app.request('/api/alerts/nope/ack', { method: 'POST' });
    expect(ack.status).toBe(404);
    expect(await a.request('POST', '/api/alerts/nope/ack', { body: { comment: 5 } })).toMatchObject(
      problem('field "comment": Invalid input: expected string, received number'),
    );
    for (const step of ['0', 'x', '1.5']) {
      expect(await a.request('POST', `/api/incidents/i/checklist/${step}`, { body: {} })).toMatchObject(
        problem('field "step": must be a step number from 1'),
      );
    }
  });

  it('a query id from the header is checked too', async () => {
    expect(
      await a.request('POST', '/api/sql', { body: { sql: 'SELECT 1' }, headers: { 'x-query-id': 'no spaces' } }),
    ).toMatchObject(problem('header "x-query-id": must be 1–64 letters, digits, _ or -'));
  });
});
