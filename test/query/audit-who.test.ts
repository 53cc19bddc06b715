// With access control on, the audit and saved queries name the analyst by the token's name, not 'anonymous'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../engine/access/index.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let token: string;

beforeAll(async () => {
  engine = await startTestEngine({ auth: 'on' });
  token = TokenStore.inDataDir(engine.dir).create('lan-analyst', 'analyst');
  await new Promise((r) => setTimeout(r, 1100)); // the engine re-reads the token file at most once a second
});
afterAll(async () => {
  await engine?.dispose();
});

const call = (method: string, path: string, body: unknown) =>
  fetch(engine.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('who, with access control on', () => {
  it('is the token name in the audit and on saved queries', async () => {
    const res = await call('POST', '/api/sql', { sql: "SELECT 'audited' AS a" });
    expect(res.status).toBe(200);
    const saved = await call('PUT', '/api/queries/mine', { sql: 'SELECT 1 AS one' });
    expect(((await saved.json()) as { author: string }).author).toBe('lan-analyst');
    const audit = await until(
      async () => {
        const r = await call('POST', '/api/sql', {
          sql: "SELECT who FROM sql_audit WHERE sql LIKE '%''audited''%' AND sql NOT LIKE '%sql_audit%'",
        });
        return ((await r.json()) as { rows: unknown[][] }).rows;
      },
      (rows) => rows.length > 0,
    );
    expect(audit).toEqual([['lan-analyst']]);
  });
});
