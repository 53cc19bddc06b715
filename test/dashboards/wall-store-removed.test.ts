// A window the engine deleted (a late event moved what it counted) leaves the wall's series, and the area's latest
// value falls back to the newest window left.
import { describe, expect, it } from 'vitest';
import { WallStore } from '../../dashboards/wall/store.ts';

const row = (t: string, value: number | null, removed?: true) => ({
  t,
  area: 'ba_dinh',
  value,
  n: value === null ? 0 : 1,
  late: 0,
  sources: 1,
  final: false,
  ...(removed ? { removed } : {}),
});

describe('the wall store and removed windows', () => {
  it('drops the window and shows the newest one left', () => {
    const store = new WallStore();
    store.mergeRows('security_detected_1h', [row('2026-12-04T17:00:00Z', 100), row('2026-12-05T17:00:00Z', 0)]);
    expect(store.latest('security_detected_1h', 'ba_dinh')?.value).toBe(0);
    const before = store.seriesVersion('security_detected_1h');
    store.mergeRows('security_detected_1h', [row('2026-12-05T17:00:00Z', null, true)]);
    expect(store.history('security_detected_1h', 'ba_dinh', 0).map((p) => p.value)).toEqual([100]);
    expect(store.latest('security_detected_1h', 'ba_dinh')?.value).toBe(100);
    expect(store.seriesVersion('security_detected_1h')).toBeGreaterThan(before);
    store.mergeRows('security_detected_1h', [row('2026-12-04T17:00:00Z', null, true)]);
    expect(store.latest('security_detected_1h', 'ba_dinh')).toBeUndefined();
  });
});
