// Opens the NATS connection: credentials from the URL, exponential reconnect backoff, a start-up error naming NATS_URL.
import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import type { SourceStatus } from '../source.ts';
import type { NatsSettings } from './config.ts';
import { NatsSourceError, redact } from './errors.ts';

export interface Connected {
  nc: NatsConnection;
  /** The connection's state as the engine reports it. */
  status(): SourceStatus;
}

export async function openConnection(cfg: NatsSettings): Promise<Connected> {
  const shown = redact(cfg.url);
  let attempt = 0;
  let state: SourceStatus = { type: 'connecting', url: shown };
  const opts: ConnectionOptions = {
    // A cluster's servers: the client picks one and fails over to the others (and to those the cluster announces).
    servers: cfg.url.split(',').map((u) => serverOf(u.trim())),
    name: cfg.name,
    timeout: 5000,
    // Never give up: the city's broker coming back after an hour must find the engine still trying.
    maxReconnectAttempts: -1,
    reconnectDelayHandler: () =>
      Math.min(cfg.reconnectMaxMs, cfg.reconnectMinMs * 2 ** attempt++) + Math.random() * cfg.reconnectMinMs,
    pingInterval: 10_000,
    maxPingOut: 3,
    ...credentials(cfg.url.split(',')[0]!.trim()),
    ...(cfg.url.startsWith('tls:') ? { tls: {} } : {}),
  };
  let nc: NatsConnection;
  try {
    nc = await connect(opts);
  } catch (err) {
    const why = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new NatsSourceError(
      `cannot reach the NATS server at ${shown} (${why}): check NATS_URL, or unset it to run without NATS`,
      { cause: err },
    );
  }
  state = { type: 'connected', url: shown };
  void (async () => {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          state = { type: 'reconnecting', url: shown, attempt };
          break;
        case 'reconnecting':
          state = { type: 'reconnecting', url: shown, attempt };
          break;
        case 'reconnect':
          attempt = 0;
          state = { type: 'connected', url: shown };
          break;
        case 'error':
          if (state.type !== 'connected') state = { type: 'reconnecting', url: shown, attempt, error: s.error.message };
          break;
        default:
          break;
      }
    }
  })();
  void nc.closed().then(() => {
    state = { type: 'closed', reason: 'stopped' };
  });
  return { nc, status: () => state };
}

/** `nats://user:pass@host:4222` → `host:4222` (credentials go in their own options). */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '4222'}`;
  } catch {
    return url;
  }
}

function credentials(url: string): Pick<ConnectionOptions, 'user' | 'pass' | 'token'> {
  try {
    const u = new URL(url);
    if (u.username && u.password) return { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
    if (u.username) return { token: decodeURIComponent(u.username) };
  } catch {
    // not a URL: a bare host:port
  }
  return {};
}
