// Shared by the access tests: an engine with AUTH on, tokens made for it, calls and live sockets that carry them.
import { io, type Socket } from 'socket.io-client';
import { TokenStore, type Role } from '../../engine/access/index.ts';
import type { ConfigInput } from '../../engine/config.ts';
import { sensor } from '../support/events.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

export interface AuthEngine {
  engine: TestEngine;
  /** The token file, as `ioc token …` or another process would change it. */
  tokens: TokenStore;
  /** A token of each role, named `t-<role>`. */
  token: Record<Role, string>;
  call(method: string, path: string, tok: string | undefined, body?: unknown): Promise<{ status: number; body: any }>;
  /** A heavy-rain reading in `area` through POST /api/ingest: it opens a `heavy_rain` alert on the next tick. */
  rain(area: string, id: string): Promise<void>;
}

export async function startAuthEngine(overrides: Partial<ConfigInput> = {}): Promise<AuthEngine> {
  const engine = await startTestEngine({ auth: 'on', rateLimit: 1000, rateBurst: 1000, ...overrides });
  const tokens = TokenStore.inDataDir(engine.dir);
  const roles: Role[] = ['operator', 'analyst', 'leader', 'admin', 'device', 'security'];
  const token = Object.fromEntries(roles.map((r) => [r, tokens.create(`t-${r}`, r)])) as Record<Role, string>;
  const call = async (method: string, path: string, tok: string | undefined, body?: unknown) => {
    const res = await fetch(engine.url + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };
  const rain = async (area: string, id: string) => {
    const reading = sensor(1, 'weather', {
      id,
      sensorId: `gauge-${id}`,
      ts: new Date().toISOString(),
      area,
      metrics: { rainfallMm: 80 },
    });
    const res = await call('POST', '/api/ingest?family=sensor', token.device, [reading]);
    if (res.status !== 200) throw new Error(`ingest refused (${res.status}): ${JSON.stringify(res.body)}`);
  };
  return { engine, tokens, token, call, rain };
}

/** A socket.io client with a token; resolves once connected, rejects with the refusal's code. */
export function connectSocket(url: string, tok: string | undefined, namespace = '/'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url + namespace, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: tok ? { token: tok } : {},
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      s.close();
      reject(new Error(err.data?.code ?? err.message));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
