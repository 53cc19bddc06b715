// The socket.io client: starts on the page's own engine, and when its socket drops moves to a ready replica of the
// list; subscribes after every (re)connect, validates every event, reports the connection status.
import { io, type Socket } from 'socket.io-client';
import { socketAuth } from './auth.ts';
import { chooseEngine, PAGE_ENGINE } from './engines.ts';
import { CONNECT_TIMEOUT_MS, pageSocket } from './page-socket.ts';
import {
  alertEventSchema,
  devicesSchema,
  incidentEventSchema,
  indicatorChangeSchema,
  viewEventSchema,
  type AlertEvent,
  type ClientToServerEvents,
  type Devices,
  type IncidentEvent,
  type IndicatorChange,
  type ServerToClientEvents,
  type Subscribe,
  type ViewEvent,
} from './wire/index.ts';

/** How the page's live feed is doing, as shown by the header's connection dot. */
export type LiveStatus =
  | { type: 'connecting' }
  | { type: 'live'; lastUpdate: number }
  | { type: 'stale'; lastUpdate: number }
  | { type: 'reconnecting'; attempt: number; lastUpdate: number | null }
  /** The engine dropped and other replicas are listed: looking for a ready one. */
  | { type: 'switching'; from: string; attempt: number; lastUpdate: number | null };

/** Everything the live feed tells the page. */
export type LiveMessage =
  /**
   * Every successful (re)connect, naming the engine: the page asks it for what changed since the newest change it
   * holds, or loads its REST snapshots when it holds none.
   */
  | { type: 'connected'; engine: string }
  | { type: 'indicator'; event: IndicatorChange }
  | { type: 'devices'; event: Devices }
  /** Changed devices as an Arrow IPC stream (id, value, status, lastTs …), for layers too large for JSON. */
  | { type: 'devicesArrow'; bytes: ArrayBuffer }
  | { type: 'alert'; event: AlertEvent }
  /** An incident opened by hand or changed by a person (acknowledged, assigned, a step ticked, resolved …). */
  | { type: 'incident'; event: IncidentEvent }
  /** A view was made, changed, filled or removed at run time: the page's catalogue is out of date. */
  | { type: 'view'; event: ViewEvent }
  | { type: 'status'; status: LiveStatus }
  /** An event that failed validation; counted and dropped rather than crashing the page. */
  | { type: 'invalid'; event: string; reason: string };

export interface LiveOptions {
  subscribe?: Subscribe;
  /** With no update for this long while connected, the feed is called stale. */
  staleAfterMs?: number;
  /**
   * The replicas to move between, in order of preference (default: the page's own engine only). The feed starts on
   * the page's own engine, which has just served the page, and moves only when its socket drops.
   */
  engines?: readonly string[] | Promise<readonly string[]>;
  onMessage: (message: LiveMessage) => void;
}

export interface LiveClient {
  status(): LiveStatus;
  /** The engine the feed is on, or was last on. */
  engine(): string;
  close(): void;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;
/**
 * How many times the usual time limits (handshake, readiness) an attempt allows: twice as long as the one before, up to
 * eight times. A slow answer is not no answer: a wall PC busy drawing its map at start took more than the 3 s of a
 * handshake, and attempts that each gave up at 3 s and began again from nothing kept the wall dark for 20 s.
 */
const patienceAfter = (attempt: number): number => 2 ** Math.min(attempt - 1, 3);
/** Between two rounds over the list when no engine took the feed; the first retries come sooner. */
const RETRY_MS = [250, 500, 1_000, 2_000] as const;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectLive(options: LiveOptions): LiveClient {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const emit = options.onMessage;
  let current: LiveStatus = { type: 'connecting' };
  let lastUpdate: number | null = null;
  let engines: readonly string[] = [PAGE_ENGINE];
  let engine = PAGE_ENGINE;
  let socket: LiveSocket | null = null;
  let everConnected = false;
  let recovering = false;
  let closed = false;
  const sockets = new Map<string, LiveSocket>();

  void Promise.resolve(options.engines ?? [PAGE_ENGINE]).then((list) => {
    if (list.length > 0) engines = list;
  });

  const setStatus = (next: LiveStatus): void => {
    const changed = next.type !== current.type || next.type === 'reconnecting' || next.type === 'switching';
    current = next;
    if (changed) emit({ type: 'status', status: next });
  };

  const touched = (): void => {
    lastUpdate = Date.now();
    if (current.type !== 'live') setStatus({ type: 'live', lastUpdate });
    else current = { type: 'live', lastUpdate };
  };

  /** One socket per engine, made on first use; only the one the feed is on is ever connected. */
  function socketFor(base: string): LiveSocket {
    const existing = sockets.get(base);
    if (existing) return existing;
    // The feed drives its own retries (they may go elsewhere), so socket.io's own are off. The page's own engine: the
    // connection the page's other feeds (/queries) share, so the page holds one websocket. Another engine: one of its
    // own, websocket first (no cross-origin polling to allow).
    const s: LiveSocket =
      base === PAGE_ENGINE
        ? pageSocket<LiveSocket>('/')
        : io(new URL(base).origin, {
            auth: socketAuth,
            reconnection: false,
            timeout: CONNECT_TIMEOUT_MS,
            path: `${new URL(base).pathname.replace(/\/+$/, '')}/socket.io`,
            forceNew: true,
            autoConnect: false,
            transports: ['websocket', 'polling'],
            tryAllTransports: true,
          });
    sockets.set(base, s);
    listen(s, base);
    return s;
  }

  function listen(s: LiveSocket, base: string): void {
    // Events of a socket the feed has left (a late handshake, a last frame) are not the page's business.
    const mine = (): boolean => s === socket && !closed;

    s.on('connect', () => {
      if (!mine()) {
        s.disconnect();
        return;
      }
      s.emit('subscribe', options.subscribe ?? {});
      // A fresh connection counts as an update: the page is about to load or resynchronise.
      touched();
      emit({ type: 'connected', engine: base });
      everConnected = true;
    });

    s.on('disconnect', (reason) => {
      // The feed's own leaving, for another engine or for good.
      if (!mine() || reason === 'io client disconnect') return;
      void recover();
    });

    s.on('indicator', (payload: unknown) => {
      if (!mine()) return;
      const parsed = indicatorChangeSchema.safeParse(payload);
      if (!parsed.success) {
        emit({ type: 'invalid', event: 'indicator', reason: parsed.error.issues[0]?.message ?? 'invalid' });
        return;
      }
      touched();
      emit({ type: 'indicator', event: parsed.data });
    });

    s.on('devices', (payload: unknown) => {
      if (!mine()) return;
      const parsed = devicesSchema.safeParse(payload);
      if (!parsed.success) {
        emit({ type: 'invalid', event: 'devices', reason: parsed.error.issues[0]?.message ?? 'invalid' });
        return;
      }
      touched();
      emit({ type: 'devices', event: parsed.data });
    });

    s.on('devices:arrow', (payload: unknown) => {
      if (!mine()) return;
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

    s.on('view', (payload: unknown) => {
      if (!mine()) return;
      const parsed = viewEventSchema.safeParse(payload);
      if (!parsed.success) {
        emit({ type: 'invalid', event: 'view', reason: parsed.error.issues[0]?.message ?? 'invalid' });
        return;
      }
      emit({ type: 'view', event: parsed.data });
    });

    s.on('alert', (payload: unknown) => {
      if (!mine()) return;
      const parsed = alertEventSchema.safeParse(payload);
      if (!parsed.success) {
        emit({ type: 'invalid', event: 'alert', reason: parsed.error.issues[0]?.message ?? 'invalid' });
        return;
      }
      touched();
      emit({ type: 'alert', event: parsed.data });
    });

    s.on('incident', (payload: unknown) => {
      if (!mine()) return;
      const parsed = incidentEventSchema.safeParse(payload);
      if (!parsed.success) {
        emit({ type: 'invalid', event: 'incident', reason: parsed.error.issues[0]?.message ?? 'invalid' });
        return;
      }
      touched();
      emit({ type: 'incident', event: parsed.data });
    });
  }

  /**
   * Puts the feed on `base`; true once its handshake is done (the `connect` handler has then subscribed). `patience`
   * multiplies the handshake's time limit.
   */
  function attach(base: string, patience = 1): Promise<boolean> {
    const previous = socket;
    engine = base;
    const s = socketFor(base);
    socket = s;
    if (previous && previous !== s) previous.disconnect();
    if (s.connected) return Promise.resolve(true);
    const timeoutMs = CONNECT_TIMEOUT_MS * patience;
    // The manager's own limit (on opening the connection) follows, or it would give up first.
    s.io.timeout(timeoutMs);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        s.off('connect', onConnect);
        s.off('connect_error', onError);
        if (!ok) s.disconnect();
        resolve(ok);
      };
      const onConnect = (): void => done(true);
      const onError = (): void => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      s.on('connect', onConnect);
      s.on('connect_error', onError);
      s.connect();
    });
  }

  /** Until the feed is back: each round asks the engines in turn from the next one, and takes the first ready. */
  async function recover(): Promise<void> {
    if (recovering || closed) return;
    recovering = true;
    const from = engine;
    try {
      for (let attempt = 1; !closed; attempt++) {
        // Before the first connection the page still says "connecting"; its banner tells when that lasts.
        if (everConnected) {
          setStatus(
            engines.length > 1
              ? { type: 'switching', from, attempt, lastUpdate }
              : { type: 'reconnecting', attempt, lastUpdate },
          );
        }
        const next = await chooseEngine(engines, engine, patienceAfter(attempt));
        if (closed) return;
        if (next !== null && (await attach(next, patienceAfter(attempt)))) return;
        // Spread out, so a city's walls do not all knock at once on an engine that is starting again.
        const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length) - 1]! * (0.75 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
      }
    } finally {
      recovering = false;
    }
  }

  // The page's own engine first: it has just served the page.
  void attach(PAGE_ENGINE).then((ok) => {
    if (!ok) void recover();
  });

  const staleTimer = setInterval(() => {
    if (current.type === 'live' && Date.now() - current.lastUpdate > staleAfterMs) {
      setStatus({ type: 'stale', lastUpdate: current.lastUpdate });
    }
  }, 1_000);

  return {
    status: () => current,
    engine: () => engine,
    close: () => {
      closed = true;
      clearInterval(staleTimer);
      for (const s of sockets.values()) s.close();
    },
  };
}
