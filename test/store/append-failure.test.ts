// A failed append leaves nothing behind: the appender's buffered rows are dropped, not flushed when it is closed, so
// they cannot land in a table its caller empties and fills again (the analysts' replica applied a failed copy's rows
// beside their next copy, counting events twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../engine/store/index.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  await store.writer.run('CREATE TEMP TABLE copied (a INTEGER)');
});
afterAll(async () => {
  await store.close();
});

const count = async () => Number((await store.writer.query('SELECT count(*) FROM copied')).rows[0]![0]);

describe('an append that fails', () => {
  it('writes none of the rows handed over before the failure', async () => {
    const source = await store.reader.raw.stream('SELECT range::INTEGER AS a FROM range(100)');
    await expect(
      store.writer.appendChunks(
        'copied',
        async (add) => {
          add((await source.fetchChunk())!);
          throw new Error('the copy broke off');
        },
        true,
      ),
    ).rejects.toThrow('the copy broke off');
    expect(await count()).toBe(0);
  });

  it('writes every row when it succeeds', async () => {
    const source = await store.reader.raw.stream('SELECT range::INTEGER AS a FROM range(100)');
    await store.writer.appendChunks('copied', async (add) => add((await source.fetchChunk())!), true);
    expect(await count()).toBe(100);
  });
});
