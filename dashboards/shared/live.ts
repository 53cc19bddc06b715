// The socket.io client: same-origin connection, subscription after every (re)connect, validated events, connection status.
import { io, type Socket } from 'socket.io-client';
import { socketAuth } from './auth.ts';
import {
  alertEventSchema,
  devicesSchema,
  indicatorChangeSchema,
  type AlertEvent,
  type ClientToServerEvents,
  type Devices,
  type IndicatorChange,
  type ServerToClientEvents,
  type Subscribe,
} from './wire/index.ts';

/** How the page's live feed is doing, as shown by the header's connection dot. */
export type LiveStatus =
  | { type: 'connecting' }
  | { type: 'live'; lastUpdate: number }
  | { type: 'stale'; lastUpdate: number }
  | { type: 'reconnecting'; attempt: number; lastUpdate: number | null };

/** Everything the live feed tells the page. */
export type LiveMessage =
  /** Every successful (re)connect: the page refetches its REST snapshots, since it may have missed updates. */
  | { type: 'connected' }
  | { type: 'indicator'; event: IndicatorChange }
  | { type: 'devices'; event: Devices }
  /** Changed devices as an Arrow IPC stream (id, value, status, lastTs …), for layers too large for JSON. */
  | { type: 'devicesArrow'; bytes: ArrayBuffer }
  | { type: 'alert'; event: AlertEvent }
  | { type: 'status'; status: LiveStatus }
  /** An event that failed validation; counted and dropped rather than crashing the page. */
  | { type: 'invalid'; event: string; reason: string };

export interface LiveOptions {
  subscribe?: Subscribe;
  /** With no update for this long while connected, the feed is called stale. */
  staleAfterMs?: number;
  onMessage: (message: LiveMessage) => void;
}

export interface LiveClient {
  status(): LiveStatus;
  close(): void;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;

export function connectLive(options: LiveOptions): LiveClient {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const emit = options.onMessage;
  let current: LiveStatus = { type: 'connecting' };
  let lastUpdate: number | null = null;

  const setStatus = (next: LiveStatus): void => {
    const changed = next.type !== current.type || (next.type === 'reconnecting' && current.type === 'reconnecting');
    current = next;
    if (changed) emit({ type: 'status', status: next });
  };

  const touched = (): void => {
    lastUpdate = Date.now();
    if (current.type !== 'live') setStatus({ type: 'live', lastUpdate });
    else current = { type: 'live', lastUpdate };
  };

  // No URL: same origin and default `/socket.io` path; the manager retries with backoff forever.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    auth: socketAuth,
    reconnection: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
    timeout: 10_000,
  });

  socket.on('connect', () => {
    socket.emit('subscribe', options.subscribe ?? {});
    // A fresh connection counts as an update: the snapshots are about to be refetched.
    touched();
    emit({ type: 'connected' });
  });

  socket.on('disconnect', (reason) => {
    setStatus({ type: 'reconnecting', attempt: 0, lastUpdate });
    // A server-side disconnect is not retried by socket.io itself; the wall must never give up.
    if (reason === 'io server disconnect') socket.connect();
  });

  socket.io.on('reconnect_attempt', (attempt) => {
    setStatus({ type: 'reconnecting', attempt, lastUpdate });
  });

  socket.on('connect_error', () => {
    if (current.type === 'connecting') return;
    if (current.type !== 'reconnecting') setStatus({ type: 'reconnecting', attempt: 0, lastUpdate });
  });

  socket.on('indicator', (payload: unknown) => {
    const parsed = indicatorChangeSchema.safeParse(payload);
    if (!parsed.success) {
      emit({ type: 'invalid', event: 'indicator', reason: parsed.error.issues[0]?.message ?? 'invalid' });
      return;
    }
    touched();
    emit({ type: 'indicator', event: parsed.data });
  });

  socket.on('devices', (payload: unknown) => {
    const parsed = devicesSchema.safeParse(payload);
    if (!parsed.success) {
      emit({ type: 'invalid', event: 'devices', reason: parsed.error.issues[0]?.message ?? 'invalid' });
      return;
    }
    touched();
    emit({ type: 'devices', event: parsed.data });
  });

  socket.on('devices:arrow', (payload: unknown) => {
    const bytes =
      payload instanceof ArrayBuffer
        ? payload
        : ArrayBuffer.isView(payload)
          ? payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength)
          : null;
    if (!bytes) {
      emit({ type: 'invalid', event: 'devices:arrow', reason: 'not binary' });
      return;
    }
    touched();
    emit({ type: 'devicesArrow', bytes: bytes as ArrayBuffer });
  });

  socket.on('alert', (payload: unknown) => {
    const parsed = alertEventSchema.safeParse(payload);
    if (!parsed.success) {
      emit({ type: 'invalid', event: 'alert', reason: parsed.error.issues[0]?.message ?? 'invalid' });
      return;
    }
    touched();
    emit({ type: 'alert', event: parsed.data });
  });

  const staleTimer = setInterval(() => {
    if (current.type === 'live' && Date.now() - current.lastUpdate > staleAfterMs) {
      setStatus({ type: 'stale', lastUpdate: current.lastUpdate });
    }
  }, 1_000);

  return {
    status: () => current,
    close: () => {
      clearInterval(staleTimer);
      socket.close();
    },
  };
}
