// The incident room over HTTP with AUTH on: an operator opens an incident by hand, assigns, ticks a step, escalates
// and resolves it with a summary; a second wall hears every change live; the audit names the token, never the body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { IncidentEvent } from '../../dashboards/shared/wire/index.ts';
import { connectSocket, startAuthEngine, type AuthEngine } from '../access/auth-engine.ts';

let a: AuthEngine;
let wall: Socket;
const heard: IncidentEvent[] = [];

beforeAll(async () => {
  a = await startAuthEngine();
  wall = await connectSocket(a.engine.url, a.token.leader);
  wall.on('incident', (e: IncidentEvent) => heard.push(e));
});
afterAll(async () => {
  wall?.close();
  await a?.engine.stop();
});

/** Waits until the wall heard an event for the incident that satisfies `ok`. */
async function heardOf(id: string, ok: (e: IncidentEvent) => boolean): Promise<IncidentEvent> {
  for (let i = 0; i < 100; i++) {
    const e = heard.find((x) => x.incident.id === id && ok(x));
    if (e) return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the wall never heard the change of ${id}`);
}

describe('the incident room', () => {
  it('runs an incident opened by hand from report to resolution, each change live and signed by the token', async () => {
    const { token, call } = a;
    const opened = await call('POST', '/api/incidents', token.operator, {
      type: 'flooding',
      severity: 'critical',
      lat: 21.0285,
      lon: 105.8542,
      description: 'Người dân báo ngập sâu 40 cm trên phố Tràng Tiền',
    });
    expect(opened.status).toBe(201);
    const incident = opened.body.incident;
    expect(incident).toMatchObject({
      type: 'flooding',
      severity: 'critical',
      origin: 'manual',
      openedBy: 't-operator',
      status: 'open',
      lat: 21.0285,
    });
    expect(incident.area).toMatch(/^[a-z_]+$/);
    expect(incident.checklist.length).toBeGreaterThan(0);
    await heardOf(incident.id, (e) => e.type === 'opened');

    const patch = (body: unknown, tok = token.operator) => call('PATCH', `/api/incidents/${incident.id}`, tok, body);
    expect((await patch({ assignee: 'UBND phường Hoàn Kiếm', note: 'Đã gọi đội thoát nước' })).status).toBe(200);
    expect((await patch({ step: { n: 1 } })).body.incident.checklist[0]).toMatchObject({
      done: true,
      by: 't-operator',
    });
    const acknowledged = await patch({ status: 'acknowledged' });
    expect(acknowledged.body.incident).toMatchObject({ status: 'acknowledged', escalatedAt: null });
    const escalated = await patch({ status: 'escalated' });
    expect(escalated.body.incident).toMatchObject({ status: 'acknowledged', assignee: 'UBND phường Hoàn Kiếm' });
    expect(escalated.body.incident.escalatedAt).not.toBeNull();
    await heardOf(incident.id, (e) => e.incident.escalatedAt !== null);

    // Resolving needs a summary; afterwards only notes.
    const bare = await patch({ status: 'resolved' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toMatch(/field "summary"/);
    const resolved = await patch({ status: 'resolved', summary: 'Nước rút sau 2 giờ, đã thông cống' });
    expect(resolved.body.incident).toMatchObject({ status: 'resolved', resolvedBy: 't-operator' });
    expect((await patch({ assignee: 'someone else' })).status).toBe(409);
    expect((await patch({ note: 'Kiểm tra lại sáng mai' })).status).toBe(200);
    await heardOf(incident.id, (e) => e.incident.status === 'resolved');

    const log = await call('POST', '/api/sql', token.analyst, {
      sql: `SELECT action, changed_by FROM incident_log WHERE incident_id = '${incident.id}' ORDER BY changed_at, action`,
    });
    expect(log.status).toBe(200);
    const actions = (log.body.rows as [string, string][]).map(([action, by]) => `${action}:${by}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'opened:t-operator',
        'assigned:t-operator',
        'note:t-operator',
        'step_done:t-operator',
        'acknowledged:t-operator',
        'escalated:t-operator',
        'resolved:t-operator',
      ]),
    );
    expect(actions).toHaveLength(8);
  });

  it('takes who acts from the token and refuses what a hostile caller sends', async () => {
    const { token, call } = a;
    const good = { type: 'fire', description: 'Khói ở chợ Đồng Xuân', area: 'hoan_kiem' };
    expect((await call('POST', '/api/incidents', undefined, good)).status).toBe(401);
    expect((await call('POST', '/api/incidents', token.analyst, good)).status).toBe(403);
    expect((await call('POST', '/api/incidents', token.leader, good)).status).toBe(403);
    const forged = await call('POST', '/api/incidents', token.operator, { ...good, by: 'chief' });
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toMatch(/field "by"/);
    for (const [body, field] of [
      [{ ...good, type: 'alien_invasion' }, 'type'],
      [{ ...good, area: 'atlantis' }, 'area'],
      [{ type: 'fire', description: 'x', lat: 21.0 }, 'lon'],
      [{ type: 'fire', description: 'x', lat: 10.77, lon: 106.7 }, 'lat'],
      [{ ...good, description: 'bell\u0007' }, 'description'],
      [{ ...good, description: 'x'.repeat(2001) }, 'description'],
      [{ ...good, extra: 1 }, 'extra'],
    ] as const) {
      const res = await call('POST', '/api/incidents', token.operator, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    const opened = await call('POST', '/api/incidents', token.admin, good);
    expect(opened.status).toBe(201);
    const id = opened.body.incident.id as string;
    expect((await call('PATCH', '/api/incidents/i-nobody', token.operator, { note: 'x' })).status).toBe(404);
    expect((await call('PATCH', `/api/incidents/${id}`, token.operator, {})).status).toBe(400);
    expect((await call('PATCH', `/api/incidents/${id}`, token.operator, { status: 'open' })).status).toBe(400);
    expect((await call('PATCH', `/api/incidents/${id}`, token.leader, { note: 'x' })).status).toBe(403);
    expect((await call('PATCH', `/api/incidents/${id}`, token.operator, { summary: 'early' })).status).toBe(400);
    // Who revoked cannot act any more.
    a.tokens.revoke('t-operator', new Date());
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call('PATCH', `/api/incidents/${id}`, token.operator, { note: 'x' })).status).toBe(401);
  });
});
