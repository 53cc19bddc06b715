// Actions record who the token says, never a name from the body: a forged `by` is refused, the alert and the incident
// checklist read back with the token's name; with AUTH off the actor is "anonymous".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { startAuthEngine, type AuthEngine } from './auth-engine.ts';

let a: AuthEngine;
let open: TestEngine;
beforeAll(async () => {
  [a, open] = await Promise.all([startAuthEngine(), startTestEngine()]);
});
afterAll(async () => {
  await Promise.all([a?.engine.dispose(), open?.dispose()]);
});

describe('the actor comes from the token', () => {
  it('an ack with a forged "by" is refused; the alert then reads back with the token\'s name', async () => {
    const op = a.token.operator;
    await a.rain('ba_dinh', 'rain-actor-1');
    const list = await until(
      () => a.call('GET', '/api/alerts?status=open&area=ba_dinh', op),
      (r) => r.body.alerts?.length > 0,
    );
    const id = list.body.alerts[0].id as string;

    const forged = await a.call('POST', `/api/alerts/${id}/ack`, op, { by: 'admin (director)', comment: 'seen' });
    expect(forged).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: expect.stringMatching(/field "by".*taken from the bearer token \(here "t-operator"\)/),
        },
      },
    });
    expect((await a.call('GET', `/api/alerts?area=ba_dinh`, op)).body.alerts[0]).toMatchObject({
      id,
      status: 'open',
      acknowledgedBy: null,
    });

    const ack = await a.call('POST', `/api/alerts/${id}/ack`, op, { comment: 'drainage team called' });
    expect(ack).toMatchObject({
      status: 200,
      body: { alert: { status: 'acknowledged', acknowledgedBy: 't-operator' } },
    });
    const back = (await a.call('GET', `/api/alerts?area=ba_dinh`, op)).body.alerts[0];
    expect(back).toMatchObject({ id, acknowledgedBy: 't-operator', comment: 'drainage team called' });
    expect(await a.engine.store.reader.objects(`SELECT acknowledged_by FROM alerts WHERE id = '${id}'`)).toEqual([
      { acknowledged_by: 't-operator' },
    ]);

    // Naming the token itself is no forgery: scripts that sent their own name keep working.
    const resolved = await a.call('POST', `/api/alerts/${id}/resolve`, a.token.admin, { by: 't-admin' });
    expect(resolved).toMatchObject({ status: 200, body: { alert: { status: 'resolved', resolvedBy: 't-admin' } } });
  });

  it("a checklist step records the token's name, and refuses a forged one", async () => {
    const op = a.token.operator;
    const incident = (await a.call('GET', '/api/incidents', op)).body.incidents[0].id as string;
    expect(await a.call('POST', `/api/incidents/${incident}/checklist/1`, op, { by: 'someone.else' })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "by"/) } },
    });
    const step = await a.call('POST', `/api/incidents/${incident}/checklist/1`, op, {});
    expect(step.body.incident.checklist[0]).toMatchObject({ step: 1, done: true, by: 't-operator' });
    // No body at all is an action too.
    const res = await fetch(`${a.engine.url}/api/incidents/${incident}/checklist/2`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).incident.checklist[1]).toMatchObject({ done: true, by: 't-operator' });
  });

  it('with AUTH off (the loopback demo) the actor is "anonymous"', async () => {
    const reading = sensor(1, 'weather', {
      id: 'rain-anon-1',
      sensorId: 'gauge-anon',
      ts: new Date().toISOString(),
      area: 'tay_ho',
      metrics: { rainfallMm: 80 },
    });
    expect((await open.post('/api/ingest?family=sensor', [reading])).status).toBe(200);
    const list = await until(
      () => open.get('/api/alerts?status=open&area=tay_ho'),
      (r) => r.body.alerts?.length > 0,
    );
    const id = list.body.alerts[0].id as string;
    expect(await open.post(`/api/alerts/${id}/ack`, { by: 'admin (director)' })).toMatchObject({ status: 400 });
    expect(await open.post(`/api/alerts/${id}/ack`, {})).toMatchObject({
      status: 200,
      body: { alert: { acknowledgedBy: 'anonymous' } },
    });
  });
});
