// GET /api/indicators/:name?bucket= takes a duration from 1m to 366d and answers anything else with a 400 naming the range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServeApp } from './serve-app.ts';

let a: ServeApp;
beforeAll(async () => {
  a = await serveApp();
});
afterAll(async () => {
  await a?.close();
});

const series = (bucket: string) => a.request('GET', `/api/indicators/pm25_1m?bucket=${bucket}`);

describe('the series bucket', () => {
  it.each([
    ['1000000000d', 'far past a year'],
    ['367d', 'just past a year'],
    ['99999999999999999999h', 'past what a number holds'],
    ['30s', 'finer than a minute'],
    ['0m', 'zero'],
    ['-5m', 'negative'],
    ['1e9d', 'in exponent notation'],
    ['%00', 'a NUL byte'],
    ['5%20m', 'with a space'],
    ['1.5h', 'fractional'],
    ['5', 'without a unit'],
    ['5w', 'in an unknown unit'],
    ['', 'empty'],
  ])('refuses %s (%s)', async (bucket) => {
    const { status, body } = await series(bucket);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        code: 'bad_request',
        message: 'field "bucket": must be a duration from 1m to 366d, such as 15m, 1h or 1d',
      },
    });
  });

  it('takes the bounds and the usual sizes', async () => {
    for (const bucket of ['1m', '5m', '1h', '1d', '366d', '8784h']) {
      const { status, body } = await series(bucket);
      expect([bucket, status]).toEqual([bucket, 200]);
      expect(body).toMatchObject({ name: 'pm25_1m', bucket, rows: [] });
    }
  });

  it("still asks for a multiple of the indicator's window", async () => {
    const { status, body } = await a.request('GET', '/api/indicators/congestion_index?bucket=7m');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/^field "bucket": .*multiple of the indicator's window \(5m\)/),
    });
  });
});
