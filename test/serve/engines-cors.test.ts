// ENGINES: served at GET /api/engines without a token; its origins, and only those, get CORS on /api/* (preflights
// answered before authentication, errors readable), never `*`; the pages' content security policy lets them connect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.ts';
import { serveApp, type ServeApp } from './serve-app.ts';

const PEER = 'http://10.0.0.2:8080';
const OTHER = 'http://evil.example';
let a: ServeApp;
let plain: ServeApp;
let token: string;

beforeAll(async () => {
  a = await serveApp({ auth: 'on', engines: `http://10.0.0.1:8080, ${PEER}/` });
  plain = await serveApp();
  token = a.tokens.create('wall', 'operator');
});
afterAll(async () => {
  await a?.close();
  await plain?.close();
});

const preflight = (app: ServeApp, origin: string) =>
  app.request('OPTIONS', '/api/indicators', {
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

describe('ENGINES', () => {
  it('is served to the pages without a token, as written in the setting but normalised', async () => {
    const { status, body } = await a.request('GET', '/api/engines');
    expect(status).toBe(200);
    expect(body).toEqual({ engines: ['http://10.0.0.1:8080', PEER] });
    expect((await plain.request('GET', '/api/engines')).body).toEqual({ engines: [] });
  });

  it('answers the preflight of a listed origin before authentication, for the bearer header only', async () => {
    const { status, headers } = await preflight(a, PEER);
    expect(status).toBe(204);
    expect(headers.get('access-control-allow-origin')).toBe(PEER);
    expect(headers.get('access-control-allow-headers')).toBe('authorization,content-type,accept');
    expect(headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets a listed origin read answers and refusals alike', async () => {
    const ok = await a.request('GET', '/api/indicators', { token, headers: { origin: PEER } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PEER);
    const refused = await a.request('GET', '/api/indicators', { headers: { origin: PEER } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(PEER);
  });

  it('gives any other origin nothing, and never *', async () => {
    for (const origin of [OTHER, 'null', 'http://10.0.0.2:8081', 'https://10.0.0.2:8080', `${PEER}.evil.example`]) {
      const pre = await preflight(a, origin);
      expect([origin, pre.headers.get('access-control-allow-origin')]).toEqual([origin, null]);
      // Not answered as a preflight: it meets the access rules like any request (no rule for OPTIONS).
      expect(pre.status).toBeGreaterThanOrEqual(400);
      const get = await a.request('GET', '/api/indicators', { token, headers: { origin } });
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
      expect(get.headers.get('vary')).toMatch(/origin/i);
    }
    const none = await plain.request('GET', '/api/indicators', { headers: { origin: PEER } });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets the pages connect to the listed engines' API, and to no other", async () => {
    const page = await a.request('GET', '/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' ws: wss: http:\/\/10\.0\.0\.1:8080 http:\/\/10\.0\.0\.2:8080;/);
    expect((await plain.request('GET', '/')).headers.get('content-security-policy')).toMatch(
      /connect-src 'self' ws: wss:;/,
    );
  });

  it.each([
    ['a scheme other than http(s)', 'ftp://10.0.0.2'],
    ['credentials', 'http://user:pass@10.0.0.2:8080'],
    ['a query', 'http://10.0.0.2:8080/?x=1'],
    ['a bare word', '*'],
  ])('refuses %s at start-up, naming the setting', (_what, engines) => {
    expect(() => loadConfig({ ENGINES: engines })).toThrow(/ENGINES=.*must be an engine's base URL/);
  });
});
