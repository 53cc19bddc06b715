// A statement's description is remembered by its text and the catalog it was described against: the same text over a
// table whose columns differ (another database, or the same one changed) is described again, never answered from
// what another catalog said.
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { describe, readCatalog } from '../../engine/views/describe.ts';

let a: Database;
let b: Database;
beforeAll(async () => {
  [a, b] = await Promise.all([Database.open(':memory:'), Database.open(':memory:')]);
});
afterAll(() => {
  a?.close();
  b?.close();
});

suite('descriptions of view statements', () => {
  it('answer each catalog its own types for the same text, and follow a changed table or macro', async () => {
    const [ca, cb] = await Promise.all([a.connect(), b.connect()]);
    await ca.run('CREATE TABLE probe (x INTEGER)');
    await cb.run('CREATE TABLE probe (x VARCHAR)');
    const sql = 'SELECT x AS value FROM probe';
    expect(await describe(ca, await readCatalog(ca), sql)).toEqual([{ column_name: 'value', column_type: 'INTEGER' }]);
    expect(await describe(cb, await readCatalog(cb), sql)).toEqual([{ column_name: 'value', column_type: 'VARCHAR' }]);

    await ca.run('ALTER TABLE probe ALTER x TYPE DOUBLE');
    expect(await describe(ca, await readCatalog(ca), sql)).toEqual([{ column_name: 'value', column_type: 'DOUBLE' }]);

    await ca.run('CREATE MACRO scaled(v) AS v * 2');
    const macro = 'SELECT scaled(x) AS value FROM probe';
    expect(await describe(ca, await readCatalog(ca), macro)).toEqual([{ column_name: 'value', column_type: 'DOUBLE' }]);
    await ca.run("CREATE OR REPLACE MACRO scaled(v) AS v::VARCHAR || ' ×2'");
    expect(await describe(ca, await readCatalog(ca), macro)).toEqual([
      { column_name: 'value', column_type: 'VARCHAR' },
    ]);
  });

  it('asks again for a statement that did not bind', async () => {
    const c = await a.connect();
    const sql = 'SELECT later AS value FROM pending';
    await expect(describe(c, await readCatalog(c), sql)).rejects.toThrow(/pending/);
    await c.run('CREATE TABLE pending (later BIGINT)');
    expect(await describe(c, await readCatalog(c), sql)).toEqual([{ column_name: 'value', column_type: 'BIGINT' }]);
  });
});
