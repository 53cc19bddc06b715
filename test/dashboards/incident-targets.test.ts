// The incident room's clocks: which target an incident runs against, and when it turns amber and red.
import { describe, expect, it } from 'vitest';
import { formatSpan, targetClock } from '../../dashboards/incidents/targets.ts';
import type { Incident } from '../../dashboards/shared/wire/index.ts';

const DETECTED = Date.parse('2026-12-06T08:00:00Z');
const at = (minutes: number): number => DETECTED + minutes * 60_000;
const incident = (status: Incident['status']): Incident =>
  ({ status, detectedAt: new Date(DETECTED).toISOString() }) as Incident;

describe('targetClock', () => {
  it('runs an open incident against the 1 h detection target: amber past 45 min, red past 60', () => {
    expect(targetClock(incident('open'), at(44))).toMatchObject({ target: 'detect', level: 'ok', leftMs: 16 * 60_000 });
    expect(targetClock(incident('open'), at(46)).level).toBe('amber');
    expect(targetClock(incident('open'), at(61))).toMatchObject({ level: 'red', leftMs: -60_000 });
  });

  it('runs an acknowledged incident against the 4 h resolution target: amber past 3 h, red past 4 h', () => {
    expect(targetClock(incident('acknowledged'), at(90))).toMatchObject({ target: 'fix', level: 'ok' });
    expect(targetClock(incident('acknowledged'), at(181)).level).toBe('amber');
    expect(targetClock(incident('acknowledged'), at(241)).level).toBe('red');
  });

  it('shows minutes, with hours when there are any', () => {
    expect(formatSpan(12 * 60_000 + 59_000)).toBe('12 min');
    expect(formatSpan(-(65 * 60_000))).toBe('1 h 05 min');
  });
});
