// Every bad input leaves a trace: topics that name no family, area codes nobody knows, ids holding control characters
// are refused with a reason a person can act on; `__proto__`, `constructor` and `prototype` keys stay plain data.
import { describe, expect, it } from 'vitest';
import { decodeRaw, type DecodeOptions } from '../../engine/decode.ts';
import { familyOfTopic } from '../../sources/source.ts';
import { bytes, camera, sensor, service, T0 } from '../support/events.ts';

const AREAS = new Set(['hoan_kiem', 'dong_da', 'tay_ho']);
const opts: DecodeOptions = {
  maxPayloadBytes: 64 * 1024,
  maxFutureMs: 3_600_000,
  locate: (lon, lat) => (lat > 21 && lat < 21.1 && lon > 105.8 && lon < 105.9 ? 'hoan_kiem' : null),
  isArea: (code) => AREAS.has(code),
};
const now = T0 + 60_000;
const raw = (topic: string, payload: unknown, source = 'mqtt', o: DecodeOptions = opts) =>
  decodeRaw({ source, topic, payload: payload instanceof Uint8Array ? payload : bytes(payload), receivedAt: now }, o);
const extraOf = (r: ReturnType<typeof raw>) => JSON.parse(r.rows[0]!.extra!) as Record<string, unknown>;

describe('topics that name no family', () => {
  const mqtt = (t: string) =>
    `topic "${t}" is not city/<family>/<id> with family camera, sensor, service, security or feedback`;
  const nats = (t: string) =>
    `subject "${t}" is not city.<family>.<id> with family camera, sensor, service, security or feedback`;
  const cases: [string, string, string][] = [
    ['mqtt', 'foo/bar', mqtt('foo/bar')],
    ['mqtt', 'city/unknownfam/x', `unknown event family "unknownfam": ${mqtt('city/unknownfam/x')}`],
    ['mqtt', 'city/camera', mqtt('city/camera')],
    ['mqtt', 'city/camera/', mqtt('city/camera/')],
    ['mqtt', 'city//x', mqtt('city//x')],
    ['mqtt', 'city/camera/a/b', mqtt('city/camera/a/b')],
    ['mqtt', 'City/camera/x', mqtt('City/camera/x')],
    // A dotted MQTT topic is not a NATS subject: MQTT levels are split on slashes only.
    ['mqtt', 'city.camera.x', mqtt('city.camera.x')],
    ['nats', 'foo.bar', nats('foo.bar')],
    ['nats', 'city.unknownfam.x', `unknown event family "unknownfam": ${nats('city.unknownfam.x')}`],
    ['nats', 'city.camera', nats('city.camera')],
    ['nats', 'city.camera.a.b', nats('city.camera.a.b')],
    ['nats', 'city/camera/x', nats('city/camera/x')],
  ];
  for (const [source, topic, reason] of cases) {
    it(`${source} ${topic}: refused whole with its raw bytes and the reason`, () => {
      const payload = bytes(camera(1));
      const r = decodeRaw({ source, topic, payload, receivedAt: now }, opts);
      expect(r.family).toBeNull();
      expect(r.rows).toEqual([]);
      expect(r.rejects).toEqual([{ payload, reason }]);
    });
  }

  it('takes city/<family>/<id> on both transports, a device id holding the other separator included', () => {
    expect(raw('city/camera/cam-1', camera(1)).rows).toHaveLength(1);
    expect(raw('city/camera/cam.1', camera(1)).rows).toHaveLength(1);
    expect(raw('city.sensor.s-1', sensor(1), 'nats').rows).toHaveLength(1);
    expect(raw('city.sensor.s/1', sensor(1), 'nats').rows).toHaveLength(1);
    expect(raw('city/service/http', service(1), 'http').rows).toHaveLength(1);
    // A source that is neither (tests, benches) is read by the separator its topic holds.
    expect(familyOfTopic('city/camera/x')).toBe('camera');
    expect(familyOfTopic('city.camera.x')).toBe('camera');
    expect(familyOfTopic('city/camera/x/y')).toBeUndefined();
  });

  it('escapes and shortens a hostile topic in the reason', () => {
    const topic = `evil/\u001b[31m${'x'.repeat(500)}`;
    const reason = raw(topic, camera(1)).rejects[0]!.reason;
    expect(reason).toContain('"evil/\\u001b[31m');
    expect(reason).not.toContain('\u001b');
    expect(reason.length).toBeLessThan(320);
  });

  it("the engine's own alert topics are neither stored nor dead-lettered", () => {
    const o = { ...opts, ignoreTopics: ['ioc/alerts/'] };
    expect(raw('ioc/alerts/high/dong_da', { alert: 1 }, 'mqtt', o)).toEqual({ family: null, rows: [], rejects: [] });
    expect(raw('ioc/alertsx', { alert: 1 }, 'mqtt', o).rejects).toHaveLength(1);
  });
});

describe('area codes', () => {
  it('keeps a known code', () => {
    const r = raw('city/sensor/s', sensor(1, 'air', { area: 'tay_ho' }));
    expect(r.rows[0]!.area).toBe('tay_ho');
    expect(r.rows[0]!.extra).toBeNull();
  });

  it('an unknown code is replaced by the area of lat/lon, and kept in extra as given_area', () => {
    const r = raw('city/camera/c', camera(1, { area: 'xyz', firmware: '2.1' }));
    expect(r.rejects).toEqual([]);
    expect(r.rows[0]!.area).toBe('hoan_kiem');
    expect(extraOf(r)).toEqual({ firmware: '2.1', given_area: 'xyz' });
  });

  it("the city-wide code hanoi and the rollups' unassigned are not event areas", () => {
    for (const code of ['hanoi', 'unassigned']) {
      const r = raw('city/camera/c', camera(1, { area: code }));
      expect(r.rows[0]!.area).toBe('hoan_kiem');
      expect(extraOf(r).given_area).toBe(code);
    }
    expect(raw('city/service/a', service(1, { area: 'hanoi' })).rejects[0]!.reason).toMatch(
      /area "hanoi" is not a known area code/,
    );
  });

  it('a position outside every area stores the event as outside, the given code still kept', () => {
    const r = raw('city/camera/c', camera(1, { area: 'xyz', lat: 10, lon: 106 }));
    expect(r.rows[0]!.area).toBe('outside');
    expect(extraOf(r).given_area).toBe('xyz');
  });

  it('without lat/lon an unknown code is dead-lettered, naming the field and what to send instead', () => {
    const r = raw('city/service/a', service(1, { area: 'dong_da ' }));
    expect(r.rows).toEqual([]);
    expect(r.rejects[0]!.reason).toBe(
      'invalid service event (id "svc-1"): area "dong_da " is not a known area code; send lat/lon or one of the codes from GET /api/areas',
    );
    // Only lat without lon is no position either.
    expect(raw('city/service/a', service(1, { area: 'xyz', lat: 21.03 })).rejects).toHaveLength(1);
    expect(raw('city/service/a', service(1, { area: 'xyz', lat: 21.03, lon: 105.85 })).rows[0]!.area).toBe('hoan_kiem');
  });

  it('in an array, only the event with the unknown code is refused', () => {
    const r = raw('city/service/a', [service(1), service(2, { area: 'nowhere' }), service(3)]);
    expect(r.rows).toHaveLength(2);
    expect(r.rejects.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^element 2: invalid service event \(id "svc-2"\): area "nowhere"/),
    ]);
  });

  it('without the area list (isArea absent) codes are taken as given', () => {
    const { isArea: _, ...legacy } = opts;
    expect(raw('city/camera/c', camera(1, { area: 'xyz' }), 'mqtt', legacy).rows[0]!.area).toBe('xyz');
  });
});

describe('ids with control characters', () => {
  const fields: [string, (over: Record<string, unknown>) => Record<string, unknown>, string][] = [
    ['id', (o) => camera(1, o), 'city/camera/c'],
    ['cameraId', (o) => camera(1, o), 'city/camera/c'],
    ['sensorId', (o) => sensor(1, 'air', o), 'city/sensor/s'],
    ['id', (o) => service(1, o), 'city/service/a'],
    ['dossierId', (o) => service(1, o), 'city/service/a'],
    ['agency', (o) => service(1, o), 'city/service/a'],
  ];
  const controls = ['\u0000', '\t', '\n', '\u001b', '\u007f', '\u0085', '\u009f'];
  for (const [field, make, topic] of fields) {
    it(`refuses ${field} holding any C0/C1 control character or NUL`, () => {
      for (const c of controls) {
        const r = raw(topic, make({ [field]: `dev${c}ice` }));
        expect(r.rows, JSON.stringify(c)).toEqual([]);
        expect(r.rejects[0]!.reason).toContain(`field "${field}" must not contain control characters`);
      }
    });
  }

  it('takes printable Unicode ids, spaces included', () => {
    expect(
      raw('city/service/a', service(1, { agency: 'UBND quận Đống Đa', dossierId: 'HS\u00a0001', id: 'svc·1 ✓' })).rows,
    ).toHaveLength(1);
  });

  it('the reason shows the id escaped, never the raw control character', () => {
    const reason = raw('city/camera/c', camera(1, { id: 'a\u001b[2Jb' })).rejects[0]!.reason;
    expect(reason).toContain('(id "a\\u001b[2Jb")');
    expect(reason).not.toContain('\u001b');
  });
});

describe('__proto__, constructor and prototype keys', () => {
  // Written as text: an object literal's `__proto__` would set a prototype, not a key, and JSON.stringify would drop it.
  const event = (base: Record<string, unknown>, inject: string) => `${JSON.stringify(base).slice(0, -1)},${inject}}`;
  const hostile =
    '"__proto__":{"polluted":"yes","area":"evil","avgSpeedKmh":9999},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}';

  it('top level: kept as plain data in extra, nothing inherited, no prototype touched', () => {
    const r = raw('city/camera/c', event(camera(1), hostile));
    expect(r.rejects).toEqual([]);
    const row = r.rows[0]!;
    const e = row.event as Record<string, unknown>;
    expect(row.area).toBe('hoan_kiem');
    expect(e.avgSpeedKmh).toBe(24.5);
    expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
    const extra = JSON.parse(row.extra!) as Record<string, unknown>;
    expect(Object.keys(extra).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')!.value).toEqual({
      polluted: 'yes',
      area: 'evil',
      avgSpeedKmh: 9999,
    });
    expect(row.extra).toContain('"__proto__":{"polluted":"yes"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('inside metrics: unknown keys of any name kept in extra.metrics, the known metrics stored as sent', () => {
    const payload = event(
      sensor(1, 'air', { metrics: undefined }),
      `"metrics":{"pm25":12,${hostile},"toString":3,"hasOwnProperty":4}`,
    );
    const r = raw('city/sensor/s', payload);
    expect(r.rejects).toEqual([]);
    const m = (r.rows[0]!.event as { metrics: Record<string, unknown> }).metrics;
    expect(m.pm25).toBe(12);
    expect(m.pm10).toBeUndefined();
    const extra = JSON.parse(r.rows[0]!.extra!) as { metrics: Record<string, unknown> };
    expect(Object.keys(extra.metrics).sort()).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'prototype',
      'toString',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('inside counts: ignored like any key counts does not know, the counts stored as sent', () => {
    const c = camera(1);
    const r = raw(
      'city/camera/c',
      event(
        { ...c, counts: undefined },
        `"counts":{"car":3,"motorbike":20,"bus":1,"truck":0,"bicycle":2,"pedestrian":5,${hostile}}`,
      ),
    );
    expect(r.rejects).toEqual([]);
    expect((r.rows[0]!.event as { counts: unknown }).counts).toMatchObject(c.counts as object);
    expect(r.rows[0]!.extra).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a __proto__ that is not an object, and one deep in an unknown field, stay data too', () => {
    const r = raw('city/camera/c', event(camera(1), '"__proto__":"text","vendor":{"a":{"__proto__":{"polluted":1}}}'));
    expect(r.rows[0]!.extra).toBe('{"__proto__":"text","vendor":{"a":{"__proto__":{"polluted":1}}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a known field hidden behind __proto__ does not satisfy the schema', () => {
    const c = camera(1);
    delete c.cameraId;
    const r = raw('city/camera/c', event(c, '"__proto__":{"cameraId":"cam-9"}'));
    expect(r.rejects[0]!.reason).toMatch(/field "cameraId"/);
  });
});
