// Who each window should hear from: sources seen in the last week per kind, per ward, per former district (the sum of
// its wards) and city-wide; a source silent for longer is no longer expected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { ExpectedSources } from '../../engine/views/expected-sources.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore(loadConfig({}, { dbFile: ':memory:', simulate: false, dataDir: '/tmp' }));
  await store.writer.run(`INSERT INTO devices VALUES
    ('camera', 'c1', 'camera', 'ba_dinh', now(), now(), now()),
    ('camera', 'c2', 'camera', 'ngoc_ha', now(), now(), now()),
    ('camera', 'c3', 'camera', 'hoan_kiem', now(), now(), now()),
    ('camera', 'c4', 'camera', 'hoan_kiem', now() - INTERVAL 8 DAY, now() - INTERVAL 8 DAY, now() - INTERVAL 8 DAY),
    ('sensor', 's1', 'air', 'ba_dinh', now(), now(), now()),
    ('sensor', 's2', 'air', NULL, now(), now(), now())`);
});
afterAll(async () => {
  await store?.close();
});

describe('ExpectedSources', () => {
  it('counts per kind and ward, per former district as its wards’ sum, and city-wide', async () => {
    const expected = new ExpectedSources();
    const parents = new Map([
      ['ba_dinh', 'former_ba_dinh'],
      ['ngoc_ha', 'former_ba_dinh'],
      ['hoan_kiem', 'former_hoan_kiem'],
    ]);
    await expected.refresh(store.writer, parents);
    expect(expected.count('camera', 'ba_dinh')).toBe(1);
    expect(expected.count('camera', 'former_ba_dinh')).toBe(2);
    // c4 was last heard from eight days ago.
    expect(expected.count('camera', 'former_hoan_kiem')).toBe(1);
    expect(expected.count('camera', 'hanoi')).toBe(3);
    expect(expected.count('sensor/air', 'former_ba_dinh')).toBe(1);
    expect(expected.count('sensor/air', 'unassigned')).toBe(1);
    expect(expected.count('sensor/air', 'hanoi')).toBe(2);
    expect(expected.count('sensor/noise', 'hanoi')).toBe(0);
  });
});
