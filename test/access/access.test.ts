// Access, through app.request() on the engine's routes: every route declares who may use it, the declarations are the
// policy below, and each answers right without a token, with a wrong one, a revoked one, and each role. Plus the rate
// limit per token, the SQL limit per token, the token commands, and the refusal to run open on a network address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  feedRoles,
  ROLES,
  requirementOf,
  type LiveFeed,
  type Requirement,
  type Role,
} from '../../engine/access/index.ts';
import { startEngine } from '../../engine/main.ts';
import { serveApp, type ServeApp } from '../serve/serve-app.ts';

/** Who may do what, route by route: the contract the routes' requireRole must keep. */
const ALL: Role[] = ['operator', 'analyst', 'leader', 'admin', 'security'];
const WALL: Role[] = ['operator', 'leader', 'admin'];
const OPERATORS: Role[] = ['operator', 'admin'];
const ANALYSTS: Role[] = ['analyst', 'admin', 'security'];
const POLICY: Record<string, Requirement> = {
  'GET /': 'public',
  'GET /console': 'public',
  'GET /briefing': 'public',
  'GET /incidents': 'public',
  'GET /assets/*': 'public',
  'GET /data/*': 'public',
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/engines': 'public',
  'GET /metrics': OPERATORS,
  'POST /api/ingest': ['device', 'admin'],
  'GET /api/indicators': ALL,
  'GET /api/indicators/:name': ALL,
  'GET /api/areas': ALL,
  'GET /api/devices': ALL,
  'GET /api/devices/:id/series': ALL,
  'GET /api/devices/:id': ALL,
  'PUT /api/devices/:id': ['admin'],
  'DELETE /api/devices/:id': ['admin'],
  'POST /api/devices/import': ['admin'],
  'GET /api/layers/devices': ALL,
  'GET /api/layers/feedback': ALL,
  'GET /api/trust': ALL,
  'GET /api/basemap': ALL,
  'GET /api/basemap/:z/:x/:y': ALL,
  'GET /api/briefing': ALL,
  'GET /api/briefing/pdf': ALL,
  'GET /api/alerts': WALL,
  'POST /api/alerts/:id/ack': OPERATORS,
  'POST /api/alerts/:id/resolve': OPERATORS,
  'GET /api/incidents': WALL,
  'POST /api/incidents/:id/checklist/:step': OPERATORS,
  'POST /api/incidents': OPERATORS,
  'PATCH /api/incidents/:id': OPERATORS,
  'POST /api/sql': ANALYSTS,
  'POST /api/sql/:id/cancel': ANALYSTS,
  'GET /api/catalog': ANALYSTS,
  'GET /api/queries': ALL,
  'GET /api/queries/:name': ALL,
  'GET /api/queries/:name/run': ALL,
  'PUT /api/queries/:name': ANALYSTS,
  'DELETE /api/queries/:name': ANALYSTS,
  'GET /api/views': ALL,
  'GET /api/views/:name': ALL,
  'POST /api/views/preview': ANALYSTS,
  'POST /api/views': ANALYSTS,
  'PUT /api/views/:name': ANALYSTS,
  'DELETE /api/views/:name': ANALYSTS,
  'GET /api/rules': ALL,
  'GET /api/rules/:name': ALL,
  'POST /api/rules': ANALYSTS,
  'PUT /api/rules/:name': ANALYSTS,
  'DELETE /api/rules/:name': ANALYSTS,
  'GET /api/open': ['admin'],
  'PUT /api/open/:name': ['admin'],
  'DELETE /api/open/:name': ['admin'],
  'GET /open': 'public',
  'GET /open/': 'public',
  'GET /open/api/datasets': 'public',
  'GET /open/api/datasets/:file': 'public',
};

/** The app-wide middlewares and the API's not-found answer: the only handlers registered for every method. */
const APP_WIDE = ['ALL /*', 'ALL /api/*'];

let a: ServeApp;
const token: Partial<Record<Role | 'revoked' | 'other', string>> = {};

beforeAll(async () => {
  a = await serveApp({ auth: 'on', rateLimit: 200, rateBurst: 200 });
  for (const role of ROLES) token[role] = a.tokens.create(`t-${role}`, role);
  token.other = a.tokens.create('t-other', 'operator');
  token.revoked = a.tokens.create('t-revoked', 'admin');
  a.tokens.revoke('t-revoked');
});
afterAll(async () => {
  await a?.close();
});

/**
 * Each route of the app as `METHOD /path`, with the requirement its first handler declares (undefined: none): checked
 * before anything else of the route runs, such as reading the body.
 */
function declared(): Map<string, Requirement | undefined> {
  const routes = new Map<string, Requirement | undefined>();
  for (const r of a.app.routes) {
    const key = `${r.method} ${r.path}`;
    if (!routes.has(key)) routes.set(key, requirementOf(r.handler));
  }
  return routes;
}

const concrete = (path: string) =>
  path
    .replace(/:[A-Za-z]+/g, (m) => (m === ':step' ? '1' : m === ':name' ? 'traffic_flow' : 'x'))
    .replace(/\/\*$/, '/x');
async function call(method: string, path: string, tok?: string): Promise<number> {
  return (
    await a.request(method, path, { token: tok, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' })
  ).status;
}

describe('every route declares who may use it', () => {
  it('the app has no route without a requirement', () => {
    const missing = [...declared()]
      .filter(([key, required]) => !APP_WIDE.includes(key) && required === undefined)
      .map(([key]) => key);
    expect(missing, 'give these routes a requireRole(...) or publicRoute as their first handler').toEqual([]);
    const everyMethod = [...declared().keys()].filter((key) => key.startsWith('ALL ') && !APP_WIDE.includes(key));
    expect(everyMethod, 'a route for every method: declare one per method, each with its requirement').toEqual([]);
  });

  it('the requirements are the policy', () => {
    const routes = Object.fromEntries([...declared()].filter(([key]) => !APP_WIDE.includes(key)));
    expect(routes).toEqual(POLICY);
  });

  it('each live feed is heard by the roles of the route it mirrors', () => {
    const mirrors: [LiveFeed, string][] = [
      [{ type: 'indicators' }, 'GET /api/indicators'],
      [{ type: 'indicator', name: 'pm25' }, 'GET /api/indicators/:name'],
      [{ type: 'alerts' }, 'GET /api/alerts'],
      [{ type: 'devices' }, 'GET /api/layers/devices'],
      [{ type: 'queries' }, 'GET /api/queries/:name/run'],
      [{ type: 'device-events', family: 'camera' }, 'POST /api/sql'],
    ];
    for (const [feed, route] of mirrors)
      expect(feedRoles(feed), `${feed.type}: ${route}`).toEqual(declared().get(route));
  });

  it("a restricted family's raw events are heard by its readers only, and a filter naming no family needs them too", () => {
    expect(feedRoles({ type: 'device-events', family: 'security' })).toEqual(['admin', 'security']);
    expect(feedRoles({ type: 'device-events', family: null })).toEqual(['admin', 'security']);
  });
});

describe('each route answers right for no token, a wrong or revoked token, and each role', () => {
  for (const [route, required] of Object.entries(POLICY)) {
    it(route, async () => {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = concrete(pattern);
      if (required === 'public') {
        expect([401, 403]).not.toContain(await call(method, path));
        expect([401, 403]).not.toContain(await call(method, path, token.revoked));
        return;
      }
      expect(await call(method, path)).toBe(401);
      expect(await call(method, path, 'ioc_not-a-real-token')).toBe(401);
      expect(await call(method, path, token.revoked)).toBe(401);
      for (const role of ROLES) {
        const status = await call(method, path, token[role]);
        if (required.includes(role)) expect([401, 403], `${role} should pass`).not.toContain(status);
        else expect(status, `${role} should be refused`).toBe(403);
      }
    });
  }

  it('refusals are JSON errors that say what to do', async () => {
    expect((await a.request('GET', '/api/alerts')).body).toEqual({
      error: { code: 'unauthorized', message: expect.stringMatching(/bearer token.*ioc token create/) },
    });
    const forbidden = await a.request('POST', '/api/sql', {
      token: token.leader,
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(forbidden.body).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/role leader may not use POST \/api\/sql; allowed: analyst, admin/),
      },
    });
    expect((await a.request('POST', '/api/alerts/x/ack', { token: token.leader })).body.error.message).toBe(
      'role leader may not use POST /api/alerts/:id/ack; allowed: operator, admin',
    );
    expect((await a.request('GET', '/api/revoked', { token: token.revoked })).body).toEqual({
      error: { code: 'forbidden', message: 'no access rule for GET /api/revoked' },
    });
  });

  it('an API path without a route is closed, whoever asks; a page that is not there is a 404', async () => {
    for (const tok of [undefined, token.admin]) {
      expect(await a.request('GET', '/api/nothing-here', { token: tok })).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden', message: 'no access rule for GET /api/nothing-here' } },
      });
      expect((await a.request('DELETE', '/api/alerts', { token: tok })).status).toBe(403);
    }
    expect((await a.request('GET', '/nothing-here')).status).toBe(404);
  });

  it('pages carry security headers', async () => {
    const res = await a.request('GET', '/api/health');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('rate limits per token', () => {
  it('a burst of 10,000 requests from one token is limited without harming another token', async () => {
    const statuses = new Map<number, number>();
    let next = 0;
    const burst = async () => {
      while (next < 10_000) {
        next++;
        const s = await call('GET', '/api/indicators', token.operator);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    };
    const other: number[] = [];
    const steady = async () => {
      for (let i = 0; i < 20; i++) {
        other.push(await call('GET', '/api/indicators', token.other));
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const started = performance.now();
    await Promise.all([...Array.from({ length: 32 }, burst), steady()]);
    const seconds = (performance.now() - started) / 1000;
    // The bucket lets through its burst and then its rate, however fast or slow this machine serves the 10,000.
    const passed = statuses.get(200) ?? 0;
    expect(passed).toBeLessThanOrEqual(200 + 200 * seconds * 1.1 + 50);
    expect(statuses.get(429) ?? 0).toBe(10_000 - passed);
    expect(passed).toBeGreaterThan(100);
    expect(other.every((s) => s === 200)).toBe(true);
  }, 120_000);

  it('a request the role may not make is refused as forbidden, not counted; public routes are not limited', async () => {
    const own = await serveApp({ auth: 'on', rateLimit: 1, rateBurst: 2 });
    try {
      const op = own.tokens.create('op', 'operator');
      for (let i = 0; i < 5; i++)
        expect((await own.request('POST', '/api/sql', { token: op, body: '{}' })).status).toBe(403);
      for (let i = 0; i < 5; i++) expect((await own.request('GET', '/api/health', { token: op })).status).toBe(200);
      expect((await own.request('GET', '/api/areas', { token: op })).status).toBe(200);
      expect((await own.request('GET', '/api/areas', { token: op })).status).toBe(200);
      const over = await own.request('GET', '/api/areas', { token: op });
      expect(over).toMatchObject({
        status: 429,
        body: {
          error: {
            code: 'rate_limited',
            message: expect.stringMatching(
              /token "op" is over its rate limit of 1 requests\/s \(burst 2; RATE_LIMIT, RATE_BURST\)/,
            ),
          },
        },
      });
    } finally {
      await own.close();
    }
  });
});

describe('analyst queries per token', () => {
  it('a token gets one SQL query at a time (SQL_PER_TOKEN); another token is not held back', async () => {
    const extra = a.tokens.create('t-analyst-2', 'analyst');
    const slow = 'SELECT count(*) FROM range(4000000) a, range(100) b WHERE (a.range * b.range) % 7 = 3';
    const sql = (tok: string, q: string) =>
      a.app.request('/api/sql', {
        method: 'POST',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: q }),
      });
    const first = sql(token.analyst!, slow);
    await new Promise((r) => setTimeout(r, 150));
    const second = await sql(token.analyst!, 'SELECT 1');
    expect(second.status).toBe(429);
    expect((await second.json()).error.message).toMatch(/SQL_PER_TOKEN=1/);
    const other = await sql(extra, 'SELECT 1 AS one');
    expect([200, 429]).toContain(other.status); // the shared pool may be busy with the slow query; never refused for the token
    if (other.status === 429) expect((await other.json()).error.message).not.toMatch(/SQL_PER_TOKEN/);
    await (await first).arrayBuffer();
    expect((await sql(token.analyst!, 'SELECT 1')).status).toBe(200);
  }, 60_000);
});

describe('token commands', () => {
  it('create prints the token on its last line, list shows it, revoke refuses it from then on', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { TokenStore } = await import('../../engine/access/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ioc-cli-'));
    const ioc = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/ioc.mjs', 'token', ...args], {
        env: { ...process.env, DATA_DIR: dir },
        encoding: 'utf8',
      });
    const created = ioc('create', '--role', 'leader', '--name', 'minh.tran');
    expect(created.status).toBe(0);
    const tok = created.stdout.trim().split('\n').at(-1)!;
    expect(tok).toMatch(/^ioc_[\w-]{40,}$/);
    expect(ioc('list').stdout).toMatch(/minh\.tran\s+leader/);
    const cli = TokenStore.inDataDir(dir);
    expect(cli.verify(tok)).toEqual({ name: 'minh.tran', role: 'leader' });
    expect(JSON.stringify(cli.list())).not.toContain(tok);
    expect(ioc('revoke', 'minh.tran').status).toBe(0);
    expect(TokenStore.inDataDir(dir).verify(tok)).toBeNull();
    expect(ioc('create', '--role', 'boss', '--name', 'x').status).toBe(2);
    const soc = ioc('create', '--role', 'security', '--name', 'soc.lead');
    expect(soc.status).toBe(0);
    expect(TokenStore.inDataDir(dir).verify(soc.stdout.trim().split('\n').at(-1)!)).toEqual({
      name: 'soc.lead',
      role: 'security',
    });
  }, 60_000);
});

describe('start-up policy', () => {
  it('refuses AUTH=off on a network address', async () => {
    await expect(
      startEngine({ host: '0.0.0.0', auth: 'off', port: 0, simulate: false, logLevel: 'silent' }, {}),
    ).rejects.toThrow(/AUTH=off with HOST=0\.0\.0\.0: refused/);
  });
});
