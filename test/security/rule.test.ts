// The rule security_critical_unresolved on a running engine: a critical incident 4 h past its confirmation opens a
// critical city alert in a cyber incident with the SOC's checklist; its resolution clears it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { security } from '../support/events.ts';

let engine: TestEngine;
const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();

beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.dispose();
});

const alerts = async () =>
  ((await engine.get('/api/alerts?rule=security_critical_unresolved')).body.alerts ?? []) as {
    status: string;
    area: string;
    severity: string;
    value: number;
  }[];
/** A report of incident `incident` made `at` minutes ago, the attack having begun `began` minutes ago. */
const report = (i: number, incident: string, at: number, began: number, status: string, severity = 'critical') =>
  security(i, { id: `r-${i}`, incidentId: incident, ts: ago(at), detectedAt: ago(began), status, severity });
const ingest = async (events: unknown[]) => {
  const res = await engine.post('/api/ingest?family=security', events);
  expect(res.status).toBe(200);
};

describe('security_critical_unresolved', () => {
  it('stays quiet for a critical incident within its 4 hours and one that is not critical', async () => {
    await ingest([
      report(1, 'INC-R1', 200, 210, 'detected'),
      report(2, 'INC-R1', 180, 210, 'confirmed'),
      report(3, 'INC-R2', 400, 410, 'detected', 'high'),
    ]);
    await until(
      () => engine.sql("SELECT count(*) FROM security_critical_overdue WHERE area = 'hanoi' AND n = 1"),
      (r) => Number(r[0]![0]) === 1,
    );
    expect(await alerts()).toEqual([]);
  });

  it('fires once a critical incident is 4 h past its confirmation, and clears when it is resolved', async () => {
    await ingest([report(4, 'INC-R3', 320, 330, 'detected'), report(5, 'INC-R3', 300, 330, 'confirmed')]);
    const opened = await until(alerts, (a) => a.some((x) => x.status === 'open'));
    expect(opened).toEqual([
      expect.objectContaining({ status: 'open', area: 'hanoi', severity: 'critical', value: 1 }),
    ]);
    const incidents = (await engine.get('/api/incidents')).body.incidents as { type: string; checklist: unknown[] }[];
    expect(incidents.find((i) => i.type === 'cyber')?.checklist).toHaveLength(4);

    await ingest([report(6, 'INC-R3', 1, 330, 'resolved')]);
    const cleared = await until(alerts, (a) => a.every((x) => x.status === 'resolved'));
    expect(cleared).toHaveLength(1);
  });
});
