// The decoder: every shape of good input is accepted, every kind of bad input is rejected with a reason naming the problem.
import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeOptions } from '../../engine/decode.ts';
import { bytes, camera, sensor, service, T0 } from '../support/events.ts';

const opts: DecodeOptions = {
  maxPayloadBytes: 64 * 1024,
  maxFutureMs: 3_600_000,
  locate: (lon, lat) => (lat > 21 && lon > 105.8 ? 'hoan_kiem' : null),
};
const now = T0 + 60_000;
const decode = (family: string | undefined, payload: unknown) => decodeMessage(family, bytes(payload), now, opts);

describe('decode: accepted shapes', () => {
  it('takes one event, derives its area from its position and keeps unknown fields in extra', () => {
    const r = decode('camera', camera(1, { firmware: '2.1', vendor: { name: 'x' } }));
    expect(r.rejects).toEqual([]);
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0]!;
    expect(row.area).toBe('hoan_kiem');
    expect(JSON.parse(row.extra!)).toEqual({ firmware: '2.1', vendor: { name: 'x' } });
    expect((row.event as { ts: number }).ts).toBe(T0 + 1000);
  });

  it('keeps an explicit area and accepts epoch-millisecond times', () => {
    const r = decode('sensor', sensor(2, 'water', { area: 'tay_ho' }));
    expect(r.rows[0]!.area).toBe('tay_ho');
    expect((r.rows[0]!.event as { ts: number }).ts).toBe(T0 + 2000);
  });

  it('takes a JSON array and NDJSON', () => {
    expect(decode('service', [service(1), service(2), service(3)]).rows).toHaveLength(3);
    const nd = [camera(1), camera(2)].map((e) => JSON.stringify(e)).join('\n') + '\n';
    expect(decode('camera', nd).rows).toHaveLength(2);
  });

  it('keeps unknown sensor metrics in extra.metrics', () => {
    const r = decode('sensor', sensor(1, 'air', { metrics: { pm25: 50, pm1: 20 } }));
    expect(JSON.parse(r.rows[0]!.extra!)).toEqual({ metrics: { pm1: 20 } });
  });
});

describe('decode: rejected input names the problem', () => {
  const cases: [string, string | undefined, unknown, RegExp][] = [
    ['not JSON', 'camera', 'hello {', /not valid JSON/],
    ['binary garbage', 'camera', new Uint8Array([0xff, 0xfe, 0x00, 0x81]), /not valid UTF-8/],
    ['empty payload', 'camera', '   ', /empty/],
    ['empty array', 'camera', '[]', /empty JSON array/],
    ['a JSON number', 'camera', '42', /expected a JSON object.*got number/],
    ['missing field', 'camera', { ...camera(1), cameraId: undefined }, /field "cameraId"/],
    ['missing counts', 'camera', { ...camera(1), counts: undefined }, /field "counts"/],
    [
      'negative count',
      'camera',
      camera(1, { counts: { car: -1, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 } }),
      /field "counts.car".*≥ 0/,
    ],
    [
      'fractional count',
      'camera',
      camera(1, { counts: { car: 1.5, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 } }),
      /field "counts.car".*whole/,
    ],
    ['latitude out of range', 'camera', camera(1, { lat: 123 }), /field "lat"/],
    ['longitude out of range', 'sensor', sensor(1, 'air', { lon: -500 }), /field "lon"/],
    ['unknown enum value', 'sensor', sensor(1, 'air', { kind: 'radiation' }), /field "kind"/],
    [
      'unknown incident type',
      'camera',
      camera(1, { incident: { type: 'alien', confidence: 0.9 } }),
      /field "incident.type"/,
    ],
    ['occupancy over 1', 'camera', camera(1, { occupancy: 1.7 }), /field "occupancy"/],
    ['string number', 'camera', camera(1, { avgSpeedKmh: 'NaN' }), /field "avgSpeedKmh"/],
    ['timestamp without offset', 'camera', camera(1, { ts: '2026-11-27 08:00:00' }), /field "ts".*RFC 3339/],
    ['timestamp in 1900', 'camera', camera(1, { ts: '1900-01-01T00:00:00Z' }), /field "ts".*2000/],
    ['timestamp in 9999', 'camera', camera(1, { ts: '9999-01-01T00:00:00Z' }), /field "ts"/],
    [
      'timestamp far ahead of the clock',
      'camera',
      camera(1, { ts: new Date(now + 86_400_000).toISOString() }),
      /ahead of the receiving clock/,
    ],
    ['id too long', 'camera', camera(1, { id: 'x'.repeat(129) }), /field "id"/],
    [
      'air sensor without air metrics',
      'sensor',
      sensor(1, 'air', { metrics: { laeqDb: 60 } }),
      /needs at least one of pm25/,
    ],
    ['unknown service status', 'service', service(1, { status: 'lost' }), /field "status"/],
    ['unknown channel', 'service', service(1, { channel: 'fax' }), /field "channel"/],
    ['unknown family', 'weather', camera(1), /unknown event family "weather"/],
    ['no family in topic', undefined, camera(1), /topic does not name an event family/],
  ];
  for (const [name, family, payload, reason] of cases) {
    it(name, () => {
      const r =
        family === 'camera' && payload instanceof Uint8Array
          ? decodeMessage('camera', payload, now, opts)
          : decode(family, payload);
      expect(r.rows).toEqual([]);
      expect(r.rejects).toHaveLength(1);
      expect(r.rejects[0]!.reason).toMatch(reason);
    });
  }

  it('a payload over the size limit is refused whole, naming the limit', () => {
    const r = decodeMessage('camera', new Uint8Array(70 * 1024), now, opts);
    expect(r.rejects[0]!.reason).toMatch(/over the limit of 65536 \(MAX_PAYLOAD_BYTES\)/);
  });

  it('the reason of a rejected event names its id', () => {
    expect(decode('camera', camera(1, { lat: 99 })).rejects[0]!.reason).toContain('(id "cam-1-1")');
  });

  it('keeps the raw bytes of a message rejected whole', () => {
    const raw = bytes('{"broken": ');
    expect(decodeMessage('camera', raw, now, opts).rejects[0]!.payload).toBe(raw);
  });
});

describe('decode: one bad element does not sink the good ones', () => {
  it('array: the bad element is rejected alone, with its own bytes and position', () => {
    const r = decode('camera', [camera(1), camera(2, { lat: 999 }), 'oops', camera(3)]);
    expect(r.rows.map((x) => (x.event as { id: string }).id)).toEqual(['cam-1-1', 'cam-3-3']);
    expect(r.rejects.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^element 2: .*field "lat"/),
      expect.stringMatching(/^element 3: expected a JSON object/),
    ]);
    expect(JSON.parse(new TextDecoder().decode(r.rejects[0]!.payload)).id).toBe('cam-2-2');
  });

  it('NDJSON: a broken line is rejected alone', () => {
    const text = `${JSON.stringify(camera(1))}\n{not json\n${JSON.stringify(camera(2))}`;
    const r = decode('camera', text);
    expect(r.rows).toHaveLength(2);
    expect(r.rejects[0]!.reason).toMatch(/^line 2: not valid JSON/);
    expect(new TextDecoder().decode(r.rejects[0]!.payload)).toBe('{not json');
  });
});

describe('decode: hostile nesting is refused before it is parsed', () => {
  const nest = (depth: number, inner: string) => '{"a":'.repeat(depth) + inner + '}'.repeat(depth);

  it('refuses a message nested deeper than 32 levels, quickly, whatever its size', () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const r = decode('camera', '['.repeat(30_000) + ']'.repeat(30_000));
      expect(r.rejects[0]!.reason).toBe('JSON nested deeper than 32 levels');
    }
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('accepts 32 levels, and does not count brackets inside strings', () => {
    const extra = nest(30, '"[[[{{{\\"]]]"');
    const r = decode('camera', `${JSON.stringify(camera(1)).slice(0, -1)},"note":${extra}}`);
    expect(r.rejects).toEqual([]);
    expect(r.rows).toHaveLength(1);
  });

  it('a valid event whose unknown field is nested too deeply is rejected with that reason, not kept', () => {
    const r = decode('camera', `${JSON.stringify(camera(1)).slice(0, -1)},"deep":${nest(40, '1')}}`);
    expect(r.rows).toEqual([]);
    expect(r.rejects[0]!.reason).toBe('JSON nested deeper than 32 levels');
  });

  it('NDJSON: only the deep line is refused', () => {
    const text = `${JSON.stringify(camera(1))}\n${nest(100, '1')}\n${JSON.stringify(camera(2))}`;
    const r = decode('camera', text);
    expect(r.rows).toHaveLength(2);
    expect(r.rejects.map((x) => x.reason)).toEqual(['line 2: JSON nested deeper than 32 levels']);
  });
});
