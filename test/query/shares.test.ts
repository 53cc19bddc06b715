// Each analyst sees their own share with AUTH on: their audit rows only, their own queries to cancel, ids that collide with no one's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../engine/access/index.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
const tok: Record<'ana' | 'bao' | 'admin', string> = { ana: '', bao: '', admin: '' };
const LONG = 'SELECT sum(a.range * b.range) FROM range(100000) a CROSS JOIN range(100000) b';

beforeAll(async () => {
  engine = await startTestEngine({ auth: 'on', sqlTimeoutMs: 5_000, sqlConcurrency: 2, sqlPerToken: 2 });
  const store = TokenStore.inDataDir(engine.dir);
  tok.ana = store.create('ana', 'analyst');
  tok.bao = store.create('bao', 'analyst');
  tok.admin = store.create('root', 'admin');
  await new Promise((r) => setTimeout(r, 1100)); // the token file is re-read at most once a second
});
afterAll(async () => {
  await engine?.dispose();
});

async function sql(who: keyof typeof tok, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${engine.url}/api/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok[who]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
async function cancel(who: keyof typeof tok, id: string): Promise<number> {
  const res = await fetch(`${engine.url}/api/sql/${id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok[who]}` },
  });
  await res.arrayBuffer();
  return res.status;
}

describe('shares of the sandbox', () => {
  it('shows an analyst only their own audit rows, and an admin everyone’s', async () => {
    await sql('ana', { sql: "SELECT 'ana was here'" });
    await sql('bao', { sql: "SELECT 'bao was here'" });
    const ana = await until(
      () => sql('ana', { sql: 'SELECT DISTINCT who FROM sql_audit ORDER BY who' }),
      (r) => r.body.rows?.length > 0,
    );
    expect(ana.body.rows).toEqual([['ana']]);
    const bao = await sql('bao', { sql: "SELECT count(*) FROM sql_audit WHERE sql LIKE '%ana was here%'" });
    expect(bao.body.rows).toEqual([[0]]);
    for (const sneaky of [
      'SELECT * FROM main.sql_audit',
      'SELECT * FROM temp.main.sql_audit',
      "SELECT * FROM query_table('sql_audit')",
    ]) {
      const r = await sql('bao', { sql: sneaky });
      expect(r.status, sneaky).toBe(403);
    }
    const admin = await until(
      () => sql('admin', { sql: 'SELECT DISTINCT who FROM sql_audit ORDER BY who' }),
      (r) => r.body.rows?.length >= 2,
    );
    expect(admin.body.rows.map((r: string[]) => r[0])).toEqual(expect.arrayContaining(['ana', 'bao']));
    // The analyst's view does not linger for the admin on the same connection, nor the admin's for the analyst.
    expect((await sql('ana', { sql: 'SELECT DISTINCT who FROM sql_audit' })).body.rows).toEqual([['ana']]);
  });

  it('lets only the owner (or an admin) cancel a query, and keeps ids apart', async () => {
    const running = sql('ana', { sql: LONG, queryId: 'shared-id' });
    await new Promise((r) => setTimeout(r, 300));
    // Bao can neither stop nor learn of Ana's query; the same id is free for Bao.
    expect(await cancel('bao', 'shared-id')).toBe(404);
    const baos = await sql('bao', { sql: 'SELECT 42', queryId: 'shared-id' });
    expect(baos.status).toBe(200);
    expect(await cancel('ana', 'shared-id')).toBe(200);
    expect((await running).status).toBe(409);
    const again = sql('ana', { sql: LONG, queryId: 'q2' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await cancel('admin', 'q2')).toBe(200);
    expect((await again).body.error.code).toBe('cancelled');
  });

  it('gives server-made query ids nobody can guess', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await sql('ana', { sql: 'SELECT 1' })).body.queryId);
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
