// Live events follow the HTTP rules: a socket hears `alert`, `indicator`, `devices` and the saved-query tiles exactly
// when its role may GET the route each one mirrors, so the live feed and the API cannot drift apart.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../engine/access/index.ts';
import { until } from '../support/engine.ts';
import { connectSocket, sleep, startAuthEngine, type AuthEngine } from './auth-engine.ts';

let a: AuthEngine;
const WALL_ROLES: Role[] = ['operator', 'analyst', 'leader', 'admin', 'security'];
const heard = new Map<Role, { alert: unknown[]; indicator: string[]; devices: number }>();
const sockets: Socket[] = [];

beforeAll(async () => {
  a = await startAuthEngine();
  for (const role of WALL_ROLES) {
    const s = await connectSocket(a.engine.url, a.token[role]);
    const got = { alert: [] as unknown[], indicator: [] as string[], devices: 0 };
    s.on('alert', (e) => got.alert.push(e));
    s.on('indicator', (c: { name: string }) => got.indicator.push(c.name));
    s.on('devices', () => {
      got.devices++;
    });
    await s.emitWithAck('subscribe', {});
    heard.set(role, got);
    sockets.push(s);
  }
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await a?.engine.dispose();
});

describe('socket.io events are filtered by role like the HTTP routes', () => {
  it('while an alert fires, an operator hears it and an analyst (refused GET /api/alerts) does not', async () => {
    await a.rain('hoan_kiem', 'rain-live-1');
    await until(
      () => heard.get('operator')!.alert.length,
      (n) => n > 0,
    );
    // Two more ticks: anything the analyst was going to be sent has been sent.
    await sleep(600);
    expect((await a.call('GET', '/api/alerts', a.token.analyst)).status).toBe(403);
    expect(heard.get('analyst')!.alert).toEqual([]);
    expect(heard.get('operator')!.alert).toEqual([
      expect.objectContaining({
        type: 'opened',
        alert: expect.objectContaining({ rule: 'heavy_rain', area: 'hoan_kiem' }),
      }),
    ]);
  });

  it('for every role, each event is heard exactly when the route it mirrors answers that role', async () => {
    const indicator = heard.get('operator')!.indicator[0] ?? 'rainfall_max';
    for (const role of WALL_ROLES) {
      const got = heard.get(role)!;
      const allowed = async (path: string) => (await a.call('GET', path, a.token[role])).status === 200;
      expect(got.alert.length > 0, `${role}: alert`).toBe(await allowed('/api/alerts'));
      expect(got.devices > 0, `${role}: devices`).toBe(await allowed('/api/layers/devices'));
      expect(got.indicator.includes(indicator), `${role}: indicator ${indicator}`).toBe(
        await allowed(`/api/indicators/${indicator}`),
      );
    }
  });

  it('the saved-query tiles namespace admits exactly the roles that may run saved queries; devices hear nothing', async () => {
    for (const role of ['operator', 'analyst', 'leader', 'admin', 'device', 'security'] as Role[]) {
      const run = (await a.call('GET', '/api/queries/none/run', a.token[role])).status;
      const tiles = await connectSocket(a.engine.url, a.token[role], '/queries').then(
        (s) => {
          s.close();
          return 'connected';
        },
        (err: Error) => err.message,
      );
      expect(tiles, `${role} (GET /api/queries/:name/run answered ${run})`).toBe(
        run === 403 ? 'forbidden' : 'connected',
      );
    }
    await expect(connectSocket(a.engine.url, a.token.device)).rejects.toThrow('forbidden');
  });
});

describe('the live feed', () => {
  it('asks the handshake for a token of a role that may read the wall', async () => {
    const connect = (tok?: string) =>
      connectSocket(a.engine.url, tok).then(
        (s) => {
          s.close();
          return 'connected';
        },
        (err: Error) => err.message,
      );
    const revoked = a.tokens.create('t-revoked', 'admin');
    a.tokens.revoke('t-revoked');
    expect(await connect()).toBe('unauthorized');
    expect(await connect(revoked)).toBe('unauthorized');
    expect(await connect(a.token.device)).toBe('forbidden');
    expect(await connect(a.token.operator)).toBe('connected');
    expect(await connect(a.token.leader)).toBe('connected');
  });
});
