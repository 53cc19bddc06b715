// Access, table-driven: every route of the running app has a rule, and every rule gives the right answer without a
// token, with a wrong one, a revoked one, and each role. Plus the socket.io handshake, the rate limit per token,
// and the refusal to run open on a network address.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_RULES, ROLES, ruleFor, TokenStore, type Role } from '../../engine/access/index.ts';
import { startEngine } from '../../engine/main.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let store: TokenStore;
const token: Partial<Record<Role | 'revoked' | 'other', string>> = {};

beforeAll(async () => {
  engine = await startTestEngine({ auth: 'on', rateLimit: 200, rateBurst: 200 });
  store = TokenStore.inDataDir(engine.dir);
  for (const role of ROLES) token[role] = store.create(`t-${role}`, role);
  token.other = store.create('t-other', 'operator');
  token.revoked = store.create('t-revoked', 'admin');
  store.revoke('t-revoked');
  await new Promise((r) => setTimeout(r, 1100)); // the engine re-reads the token file at most once a second
});
afterAll(async () => { await engine?.dispose(); });

const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, (m) => (m === ':step' ? '1' : m === ':name' ? 'traffic_flow' : 'x')).replace(/\/\*$/, '/x');
async function call(method: string, path: string, tok?: string): Promise<number> {
  const res = await fetch(engine.url + path, {
    method, headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), 'content-type': 'application/json' },
    body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

describe('every route has an access rule', () => {
  it('the app registers no route without a rule', () => {
    const routes = engine.server.app.routes.filter((r) => r.method !== 'ALL' && r.path !== '/*' && !r.path.endsWith('/*') || r.path === '/assets/*' || r.path === '/data/*');
    const missing = routes.filter((r) => r.method !== 'ALL' && !ruleFor(r.method, concrete(r.path))).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });
});

describe('each rule answers right for no token, a wrong or revoked token, and each role', () => {
  for (const rule of ACCESS_RULES) {
    it(`${rule.method} ${rule.path}`, async () => {
      const path = concrete(rule.path);
      if (rule.roles === 'public') {
        expect([401, 403]).not.toContain(await call(rule.method, path));
        return;
      }
      expect(await call(rule.method, path)).toBe(401);
      expect(await call(rule.method, path, 'ioc_not-a-real-token')).toBe(401);
      expect(await call(rule.method, path, token.revoked)).toBe(401);
      for (const role of ROLES) {
        const status = await call(rule.method, path, token[role]);
        if (rule.roles.includes(role)) expect([401, 403], `${role} should pass`).not.toContain(status);
        else expect(status, `${role} should be refused`).toBe(403);
      }
    });
  }

  it('refusals are JSON errors that say what to do', async () => {
    const res = await fetch(`${engine.url}/api/alerts`);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/bearer token.*ioc token create/) } });
    const forbidden = await fetch(`${engine.url}/api/sql`, { method: 'POST', headers: { authorization: `Bearer ${token.leader}` }, body: '{}' });
    expect(await forbidden.json()).toEqual({ error: { code: 'forbidden', message: expect.stringMatching(/role leader may not use POST \/api\/sql; allowed: analyst, admin/) } });
  });

  it('pages carry security headers', async () => {
    const res = await fetch(`${engine.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the live feed', () => {
  const connect = (tok?: string) => new Promise<string>((resolve) => {
    const s = io(engine.url, { transports: ['websocket'], reconnection: false, auth: tok ? { token: tok } : {} });
    s.on('connect', () => { s.close(); resolve('connected'); });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => { s.close(); resolve(err.data?.code ?? err.message); });
  });
  it('asks the handshake for a token of a role that may read the wall', async () => {
    expect(await connect()).toBe('unauthorized');
    expect(await connect(token.revoked)).toBe('unauthorized');
    expect(await connect(token.device)).toBe('forbidden');
    expect(await connect(token.operator)).toBe('connected');
    expect(await connect(token.leader)).toBe('connected');
  });
});

describe('rate limits per token', () => {
  it('a burst of 10,000 requests from one token is limited without harming another token', async () => {
    const statuses = new Map<number, number>();
    let next = 0;
    const burst = async () => {
      while (next < 10_000) {
        next++;
        const s = await call('GET', '/api/areas', token.operator);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    };
    const other: number[] = [];
    const steady = async () => {
      for (let i = 0; i < 20; i++) { other.push(await call('GET', '/api/indicators', token.other)); await new Promise((r) => setTimeout(r, 50)); }
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
});

describe('analyst queries per token', () => {
  it('a token gets one SQL query at a time (SQL_PER_TOKEN); another token is not held back', async () => {
    const extra = store.create('t-analyst-2', 'analyst');
    await new Promise((r) => setTimeout(r, 1100));
    const slow = 'SELECT count(*) FROM range(4000000) a, range(100) b WHERE (a.range * b.range) % 7 = 3';
    const sql = (tok: string, q: string) => fetch(`${engine.url}/api/sql`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify({ sql: q }) });
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
    const dir = mkdtempSync(join(tmpdir(), 'ioc-cli-'));
    const ioc = (...args: string[]) => spawnSync(process.execPath, ['bin/ioc.mjs', 'token', ...args], { env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
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
  }, 60_000);
});

describe('start-up policy', () => {
  it('refuses AUTH=off on a network address', async () => {
    await expect(startEngine({ host: '0.0.0.0', auth: 'off', port: 0, simulate: false, logLevel: 'silent' }, {})).rejects.toThrow(/AUTH=off with HOST=0\.0\.0\.0: refused/);
  });
});
