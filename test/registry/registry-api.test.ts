// The registry's doors attacked as a hostile user would: no token, the wrong role, a revoked token, bodies too big,
// not UTF-8, not CSV, control characters, unknown fields, ids too long; and the right answers for the admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServeApp } from '../serve/serve-app.ts';

let a: ServeApp;
const token: Record<'admin' | 'operator' | 'analyst' | 'revoked', string> = {
  admin: '',
  operator: '',
  analyst: '',
  revoked: '',
};

beforeAll(async () => {
  a = await serveApp({ auth: 'on', rateLimit: 500, rateBurst: 500 });
  token.admin = a.tokens.create('ops-admin', 'admin');
  token.operator = a.tokens.create('ops-operator', 'operator');
  token.analyst = a.tokens.create('ops-analyst', 'analyst');
  token.revoked = a.tokens.create('ops-revoked', 'admin');
  a.tokens.revoke('ops-revoked');
});
afterAll(async () => {
  await a?.close();
});

const CAM = { family: 'camera', agency: 'cong-an-thanh-pho', model: 'Camera AI', area: 'ba_dinh' };
const importCsv = (csv: string | Uint8Array<ArrayBuffer>, tok = token.admin, query = '') =>
  a.app.request(`/api/devices/import${query}`, {
    method: 'POST',
    body: csv,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'text/csv' },
  });

describe('PUT /api/devices/:id', () => {
  it('registers a device for an admin, taking who from the token, and reads it back', async () => {
    const put = await a.request('PUT', '/api/devices/cam-001', { token: token.admin, body: CAM });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: 'cam-001',
      registered: true,
      ...CAM,
      maintenance: 'in_service',
      installedOn: null,
      updatedBy: 'ops-admin',
      seen: [],
    });
    const got = await a.request('GET', '/api/devices/cam-001', { token: token.operator });
    expect(got).toMatchObject({ status: 200, body: { agency: 'cong-an-thanh-pho', registered: true } });
    // Replacing changes every field: what is left out goes back to its default.
    await a.request('PUT', '/api/devices/cam-001', {
      token: token.admin,
      body: { family: 'camera', agency: 'so-xay-dung', maintenance: 'faulty' },
    });
    expect((await a.request('GET', '/api/devices/cam-001', { token: token.admin })).body).toMatchObject({
      agency: 'so-xay-dung',
      maintenance: 'faulty',
      model: null,
      area: null,
    });
  });

  it('refuses no token, a revoked one and every role but admin', async () => {
    expect((await a.request('PUT', '/api/devices/cam-002', { body: CAM })).status).toBe(401);
    expect((await a.request('PUT', '/api/devices/cam-002', { token: token.revoked, body: CAM })).status).toBe(401);
    for (const role of ['operator', 'analyst'] as const) {
      const res = await a.request('PUT', '/api/devices/cam-002', { token: token[role], body: CAM });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/admin/);
    }
    expect((await a.request('GET', '/api/devices/cam-002', { token: token.admin })).status).toBe(404);
  });

  it('answers each bad body or id with a 400 naming the field', async () => {
    const bad = async (path: string, body: unknown) => {
      const res = await a.request('PUT', path, { token: token.admin, body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.message as string;
    };
    expect(await bad('/api/devices/cam-9', { ...CAM, owner: 'x' })).toMatch(/unrecognized key.*"owner"/i);
    expect(await bad('/api/devices/cam-9', { ...CAM, agency: 'a\u001b[31m' })).toMatch(
      /field "agency": must not contain control characters/,
    );
    expect(await bad('/api/devices/cam-9', { ...CAM, family: 'lamp' })).toMatch(/field "family": must be one of/);
    expect(await bad('/api/devices/cam-9', { ...CAM, area: 'former_ba_dinh' })).toMatch(
      /field "area": "former_ba_dinh" is not a ward or commune code/,
    );
    expect(await bad('/api/devices/cam-9', { ...CAM, installedOn: '2025-13-01' })).toMatch(/field "installedOn"/);
    expect(await bad('/api/devices/so-y-te', { family: 'service', agency: 'so-tai-chinh' })).toMatch(
      /agency must be "so-y-te"/,
    );
    expect(await bad(`/api/devices/${'x'.repeat(129)}`, CAM)).toMatch(/field "id"/);
    expect(await bad('/api/devices/cam%07bell', CAM)).toMatch(/field "id": must not contain control characters/);
    expect(await bad('/api/devices/cam-9', '{"family":')).toMatch(/not valid JSON/);
    const huge = await a.request('PUT', '/api/devices/cam-9', {
      token: token.admin,
      body: { ...CAM, model: 'm'.repeat(20_000) },
    });
    expect(huge.status).toBe(413);
  });
});

describe('POST /api/devices/import', () => {
  it('registers the good records and answers each refused one with its line and reason', async () => {
    const csv =
      'id,family,agency,area,installed_on\n' +
      'air-1,sensor,so-nnmt,hoan_kiem,2023-05-01\n' +
      'air-2,sensor,so-nnmt,nowhere,\n' +
      'air-3,sensor,so-nnmt,,2023-02-29\n' +
      'air-4,sensor,so-nnmt,phu_xuyen,\n';
    const dry = await importCsv(csv, token.admin, '?dryRun=true');
    expect(await dry.json()).toMatchObject({ dryRun: true, accepted: 2, registered: 0 });
    expect((await a.request('GET', '/api/devices/air-1', { token: token.admin })).status).toBe(404);

    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      dryRun: false,
      accepted: 2,
      registered: 2,
      refused: [
        {
          line: 3,
          id: 'air-2',
          reason: 'field "area": "nowhere" is not a ward or commune code (GET /api/areas?level=ward lists them)',
        },
        { line: 4, id: 'air-3', reason: 'field "installed_on": must be a calendar date (that day does not exist)' },
      ],
    });
    expect((await a.request('GET', '/api/devices/air-4', { token: token.analyst })).body).toMatchObject({
      family: 'sensor',
      area: 'phu_xuyen',
      updatedBy: 'ops-admin',
    });
    // The registry is a table analysts can join on.
    const sql = await a.request('POST', '/api/sql', {
      token: token.analyst,
      body: { sql: "SELECT count(*) AS n FROM device_registry WHERE agency = 'so-nnmt'" },
    });
    expect(sql.body.rows).toEqual([[2]]);
  });

  it('refuses the wrong role, a body over 1 MiB, text that is not UTF-8 or not CSV, with JSON errors', async () => {
    expect((await importCsv('id,family,agency\nc,camera,x\n', token.operator)).status).toBe(403);
    expect((await importCsv('id,family,agency\nc,camera,x\n', token.revoked)).status).toBe(401);
    const big = await importCsv('id,family,agency\n' + 'c,camera,x\n'.repeat(110_000));
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toMatch(/over the limit of 1 MiB/);
    const latin1 = await importCsv(new Uint8Array([0x69, 0x64, 0x0a, 0xe9, 0xff, 0x0a]));
    expect(latin1.status).toBe(400);
    expect((await latin1.json()).error.message).toMatch(/not UTF-8/);
    const binary = await importCsv('\u0000\u0001PK\u0003\u0004');
    expect(binary.status).toBe(400);
    expect((await binary.json()).error.message).toMatch(
      /header.*column 1 "\\u0000\\u0001pk\\u0003\\u0004" is not one of/,
    );
    const query = await importCsv('id,family,agency\n', token.admin, '?dryRun=yes');
    expect(query.status).toBe(400);
    expect((await query.json()).error.message).toMatch(/field "dryRun"/);
  });
});

describe('DELETE /api/devices/:id', () => {
  it('removes an entry for an admin; a device never registered is a 404', async () => {
    await a.request('PUT', '/api/devices/cam-del', { token: token.admin, body: CAM });
    expect((await a.request('DELETE', '/api/devices/cam-del', { token: token.operator })).status).toBe(403);
    expect(await a.request('DELETE', '/api/devices/cam-del', { token: token.admin })).toMatchObject({
      status: 200,
      body: { id: 'cam-del', deleted: true },
    });
    expect((await a.request('GET', '/api/devices/cam-del', { token: token.admin })).status).toBe(404);
    expect(await a.request('DELETE', '/api/devices/cam-del', { token: token.admin })).toMatchObject({
      status: 404,
      body: { error: { message: 'device "cam-del" is not registered' } },
    });
  });
});
