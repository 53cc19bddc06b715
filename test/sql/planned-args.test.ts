// Planned statements read their arguments from a table the connection fills just before them: every kind of argument
// comes back as it went in, however many, in and out of transactions, and a kept plan reads the new ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../engine/store/index.ts';
import { Bindings } from '../../engine/sql/index.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
});
afterAll(async () => {
  await store.close();
});

/** One statement text over `n` arguments of each kind, with the values read back. */
function statement(instants: number[], numbers: number[], texts: string[]): { sql: string; b: Bindings } {
  const b = new Bindings();
  const cols = [
    ...instants.map((ms) => `epoch_us(${b.instant(ms)})::VARCHAR`),
    ...numbers.map((n) => `${b.bigint(n)}::VARCHAR`),
    ...texts.map((s) => b.text(s)),
  ];
  return { sql: `SELECT [${cols.join(', ')}] AS v`, b };
}

describe('planned statements', () => {
  it('read back instants to the microsecond, whole numbers up to 2^53 and any text', async () => {
    const instants = [Date.parse('2026-12-06T17:00:00Z'), 1_796_599_855_545.25, 0];
    const numbers = [Number.MAX_SAFE_INTEGER, -42, 0];
    const texts = ['Hoàn Kiếm', "it's", '', 'a\u0000b'.replace('\u0000', '\t')];
    const { sql, b } = statement(instants, numbers, texts);
    const [row] = await store.writer.objectsPlanned<{ v: string[] }>(sql, b);
    expect(row!.v).toEqual([...instants.map((ms) => String(Math.round(ms * 1000))), ...numbers.map(String), ...texts]);
  });

  it('keep the plan and read the new arguments at the next run of the same text', async () => {
    const first = statement([1000], [1], ['x']);
    const second = statement([2000], [2], ['y']);
    expect(first.sql).toBe(second.sql);
    expect((await store.writer.objectsPlanned<{ v: string[] }>(first.sql, first.b))[0]!.v).toEqual([
      '1000000',
      '1',
      'x',
    ]);
    expect((await store.writer.objectsPlanned<{ v: string[] }>(second.sql, second.b))[0]!.v).toEqual([
      '2000000',
      '2',
      'y',
    ]);
  });

  it('take more arguments than one chunk holds', async () => {
    const b = new Bindings();
    const refs = Array.from({ length: 2500 }, (_, i) => b.bigint(i * 7));
    const [row] = await store.writer.objectsPlanned<{ first: number; mid: number; last: number }>(
      `SELECT ${refs[0]}::DOUBLE AS first, ${refs[2047]}::DOUBLE AS mid, ${refs[2499]}::DOUBLE AS last`,
      b,
    );
    expect(row).toEqual({ first: 0, mid: 2047 * 7, last: 2499 * 7 });
  });

  it('write them again after a transaction that wrote them rolled back', async () => {
    const { sql, b } = statement([5000], [5], ['in']);
    await expect(
      store.writer.transaction(async () => {
        await store.writer.objectsPlanned(sql, b);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [row] = await store.writer.objectsPlanned<{ v: string[] }>(sql, b);
    expect(row!.v).toEqual(['5000000', '5', 'in']);
  });
});
