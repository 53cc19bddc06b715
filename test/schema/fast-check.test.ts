// The hot path's fast check against zod itself: on every event of a corpus of valid ones and their mutations it must
// accept exactly what zod accepts, and leave the event with the values zod returns for every stored column.
import { describe, expect, it } from 'vitest';
import { FAMILIES, FAMILY_DEFS, type Column, type Family } from '../../engine/schema/index.ts';
import { applyPatches, compileFastCheck } from '../../engine/schema/fast-check.ts';
import { camera, sensor, service } from '../support/events.ts';

const ODD: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1,
  0.5,
  1.5,
  2 ** 53,
  -1e9,
  1e12,
  '',
  'x',
  'a'.repeat(129),
  'a'.repeat(300),
  [],
  [1],
  {},
  { car: 1 },
  'air',
  'online',
  'completed',
  'full',
  'accident',
  'Viettel',
  '2026-11-27T08:00:00+07:00',
  '2026-11-27 08:00:00Z',
  '2026-11-27T08:00:00.123456789z',
  '2026-13-45T00:00:00Z',
  '2026-11-27T08:00:00',
  1_796_000_000_000,
  946_684_800_000,
  946_684_799_999,
  4_102_444_800_000,
  4_102_444_799_999,
  1_796_000_000_000.5,
  // Ids refuse C0/C1 control characters (NUL, tab, escape, DEL, NEL) and take the rest of Unicode.
  'a\u0000b',
  'tab\there',
  '\u001b[2J',
  'del\u007f',
  '\u0085',
  'c1\u009f',
  'nbsp\u00a0ok',
  'Đống Đa',
];

/** Keys that name prototype machinery, as JSON.parse makes them: own data properties (a literal would set the prototype). */
const PROTO_KEYS =
  '"__proto__":{"polluted":1,"area":"x","cameraId":"c","intervalS":5},"constructor":{"prototype":{"polluted":1}},"prototype":true';
const withProtoKeys = (e: Record<string, unknown>, at?: string): Record<string, unknown> => {
  const inject = (o: unknown): Record<string, unknown> =>
    JSON.parse(`${JSON.stringify(o).slice(0, -1)},${PROTO_KEYS}}`) as Record<string, unknown>;
  return at ? { ...structuredClone(e), [at]: inject(e[at]) } : inject(e);
};

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))].filter((p) => p.length > 0);
}

function mutate(event: Record<string, unknown>, path: string[], to: unknown): unknown {
  const copy = structuredClone(event);
  let o = copy as Record<string, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (to === undefined) delete o[path.at(-1)!];
  else o[path.at(-1)!] = to;
  return copy;
}

function corpus(): [Family, unknown][] {
  const valid: [Family, Record<string, unknown>][] = [
    ['camera', camera(1)],
    ['camera', camera(2, { incident: { type: 'accident', confidence: 0.9 }, queueM: 120, note: 'kept' })],
    [
      'camera',
      (() => {
        const c = camera(3);
        delete c.intervalS;
        delete c.avgSpeedKmh;
        return c;
      })(),
    ],
    ...(['air', 'water', 'noise', 'weather', 'network'] as const).map(
      (k, i) => ['sensor', sensor(i, k)] as [Family, Record<string, unknown>],
    ),
    ['sensor', sensor(9, 'air', { metrics: { pm25: 12, extraGas: 3 } })],
    ['service', service(1)],
    ['service', service(2, { lat: 21.0, lon: 105.8 })],
    [
      'service',
      (() => {
        const s = service(3);
        delete s.level;
        delete s.dueAt;
        delete s.onlinePayment;
        delete s.area;
        return s;
      })(),
    ],
  ];
  const out: [Family, unknown][] = [];
  for (const [f, e] of valid) {
    out.push([f, e]);
    for (const p of paths(e)) for (const to of ODD) out.push([f, mutate(e, p, to)]);
    // A key the family knows, added where the event lacks it.
    for (const k of ['incident', 'queueM', 'occupancy', 'level', 'dueAt', 'onlinePayment', 'area', 'lat', 'lon']) {
      if (!(k in e)) for (const to of ODD) out.push([f, mutate(e, [k], to)]);
    }
  }
  out.push(
    ['camera', camera(4, { incident: { type: 'fire' } })],
    ['sensor', sensor(5, 'noise', { metrics: { pm25: 4 } })],
    ['sensor', sensor(6, 'air', { kind: 'soil' })],
  );
  // Prototype-named keys at the top, in counts and in metrics, on valid events and on ones missing a required field.
  const c = camera(7);
  const noCamera = camera(8);
  delete noCamera.cameraId;
  const noInterval = camera(9);
  delete noInterval.intervalS;
  out.push(
    ['camera', withProtoKeys(c)],
    ['camera', withProtoKeys(c, 'counts')],
    ['camera', withProtoKeys(noCamera)],
    ['camera', withProtoKeys(noInterval)],
    ['sensor', withProtoKeys(sensor(7, 'air'))],
    ['sensor', withProtoKeys(sensor(8, 'air'), 'metrics')],
    ['service', withProtoKeys(service(7))],
  );
  return out;
}

const stored = (f: Family, event: unknown): unknown[] =>
  (FAMILY_DEFS[f].columns as readonly Column<unknown>[]).map((c) =>
    c.get({ event, area: null, extra: null, receivedAt: 0 }),
  );

describe('the fast check compiled from the zod schemas', () => {
  it('compiles for every family, so the hot path uses it', () => {
    for (const f of FAMILIES) expect(compileFastCheck(FAMILY_DEFS[f].schema), f).not.toBeNull();
  });

  it('accepts exactly what zod accepts, with the values zod returns', () => {
    const checks = Object.fromEntries(FAMILIES.map((f) => [f, compileFastCheck(FAMILY_DEFS[f].schema)!]));
    const cases = corpus();
    let accepted = 0;
    const disagreements: string[] = [];
    for (const [f, event] of cases) {
      const z = FAMILY_DEFS[f].schema.safeParse(structuredClone(event));
      const mine = structuredClone(event);
      const patches = checks[f]!(mine);
      if (!!patches !== z.success) {
        disagreements.push(`${f} ${JSON.stringify(event)}: fast ${!!patches}, zod ${z.success}`);
        continue;
      }
      if (!patches || !z.success) continue;
      accepted++;
      applyPatches(patches);
      expect(stored(f, mine), JSON.stringify(event)).toEqual(stored(f, z.data));
    }
    expect(disagreements).toEqual([]);
    expect(cases.length).toBeGreaterThan(2000);
    // Both outcomes are well represented: the corpus tests refusals and acceptances alike.
    expect(accepted).toBeGreaterThan(200);
    expect(cases.length - accepted).toBeGreaterThan(1000);
  });

  it('leaves a refused event untouched for zod to word its reason', () => {
    const check = compileFastCheck(FAMILY_DEFS.camera.schema)!;
    const event = camera(1, { intervalS: undefined, counts: { car: -1 } });
    delete event.intervalS;
    const before = structuredClone(event);
    expect(check(event)).toBeNull();
    expect(event).toEqual(before);
  });
});
