// The simulator's security tools: every event passes the engine's own decoding, each incident moves along its
// lifecycle, the day's mix is what the centre sees (a few per agency, most within the 1 h / 4 h targets, some not,
// critical ones rare), and a seed replays the same incidents.
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { createSimulator, type SimArea } from '../../sources/simulate/index.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T00:00:00+07:00');
const area = (code: string, urban: boolean): SimArea => ({
  code,
  name: code,
  centroid: [105.85, 21.03],
  urban,
  people: 10_000,
  district: null,
  randomPoint: (rng) => [105.8 + 0.1 * rng(), 21 + 0.1 * rng()],
});
const AREAS = [area('hoan_kiem', true), area('dong_da', true), area('soc_son', false)];
const ORDER = ['detected', 'confirmed', 'contained', 'resolved'];

/** Two days of a city with only its agencies (no cameras or sensors), as the tools report it. */
function twoDays(seed: number) {
  const sim = createSimulator({ areas: AREAS, rate: 0.5, seed, cameras: 0, sensors: 0, agencies: 10 });
  return sim.generate(86_400, START).filter((m) => m.topic.startsWith('city/security/'));
}

describe('simulated security incidents', () => {
  const messages = twoDays(7);
  const events = messages.map((m) => {
    const decoded = decodeMessage('security', m.payload, START + 3 * DAY, {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: DAY,
      locate: () => null,
    });
    expect(decoded.rejects, m.payload.toString()).toEqual([]);
    const e = JSON.parse(m.payload.toString()) as Record<string, string>;
    expect(m.topic).toBe(`city/security/${e.source}`);
    return e;
  });
  const incidents = new Map<string, Record<string, string>[]>();
  for (const e of events) incidents.set(e.incidentId!, [...(incidents.get(e.incidentId!) ?? []), e]);

  it('follow the wire contract and each incident its lifecycle, in order', () => {
    for (const [id, list] of incidents) {
      const statuses = list.map((e) => e.status!);
      expect(statuses[0], id).toBe('detected');
      if (statuses.includes('false_positive')) expect(statuses, id).toEqual(['detected', 'false_positive']);
      else expect(statuses, id).toEqual(ORDER.slice(0, statuses.length));
      const times = list.map((e) => Date.parse(e.ts!));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it('bring a few incidents a day per agency, most within the targets, some late, critical ones rare', () => {
    const perAgencyDay = incidents.size / 10 / 2;
    expect(perAgencyDay).toBeGreaterThan(1.5);
    expect(perAgencyDay).toBeLessThan(5);
    const first = [...incidents.values()].map((l) => l[0]!);
    const quick = first.filter((e) => Date.parse(e.ts!) - Date.parse(e.detectedAt!) <= HOUR).length / first.length;
    expect(quick).toBeGreaterThan(0.7);
    expect(quick).toBeLessThan(1);
    const closed = [...incidents.values()].filter((l) => l.some((e) => e.status === 'resolved'));
    const inTime = closed.filter((l) => {
      const at = (s: string) => Date.parse(l.find((e) => e.status === s)!.ts!);
      return at('resolved') - at('confirmed') <= 4 * HOUR;
    });
    expect(inTime.length / closed.length).toBeGreaterThan(0.7);
    expect(inTime.length).toBeLessThan(closed.length);
    const falsePositives = [...incidents.values()].filter((l) => l.some((e) => e.status === 'false_positive'));
    expect(falsePositives.length).toBeGreaterThan(0);
    expect(first.filter((e) => e.severity === 'critical').length / first.length).toBeLessThan(0.15);
  });

  it('replays the same incidents from the same seed', () => {
    const again = twoDays(7).map((m) => m.payload.toString());
    expect(again).toEqual(messages.map((m) => m.payload.toString()));
    expect(twoDays(8).map((m) => m.payload.toString())).not.toEqual(again);
  });
});
