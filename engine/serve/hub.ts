// The live hub: socket.io rooms per indicator; each tick pushes only the windows and devices that changed, each event
// only to sockets whose role may read the HTTP route it mirrors.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { mayReceive } from '../access/index.ts';
import type { Device } from '../query/index.ts';
import type { AlertEvent } from '../alerts/index.ts';
import type { IndicatorChange } from '../views/index.ts';
import { devicesToArrow } from './layers.ts';
import { socketIdentity } from './socket-access.ts';

/** `devices: 'arrow'`: the tick's changed devices come as one binary Arrow batch (`devices:arrow`) instead of JSON. */
const Subscribe = z.object({ indicators: z.array(z.string().max(64)).max(200).optional(), devices: z.enum(['json', 'arrow']).optional() }).optional();
const room = (name: string): string => `indicator:${name}`;
/** Sockets whose role may read GET /api/alerts: `alert` events go here, never to everyone. */
const ALERTS = 'alerts';

export class Hub {
  readonly io: Server;

  constructor(server: HttpServer, indicatorNames: readonly string[]) {
    // Same-origin pages only by default; socket.io's own client file is bundled into the pages.
    this.io = new Server(server, { serveClient: false, transports: ['websocket', 'polling'] });
    const known = new Set(indicatorNames);
    this.io.on('connection', (socket) => {
      // Rooms are joined once per socket, by the role the handshake found: emitting to a room then needs no check.
      const who = socketIdentity(socket);
      const devices = mayReceive(who, { type: 'devices' });
      if (mayReceive(who, { type: 'alerts' })) void socket.join(ALERTS);
      if (devices) void socket.join('devices');
      socket.on('subscribe', (raw: unknown, ack?: unknown) => {
        const parsed = Subscribe.safeParse(raw);
        const asked = parsed.success && parsed.data?.indicators ? parsed.data.indicators : [...known];
        const names = asked.filter((n) => known.has(n) && mayReceive(who, { type: 'indicator', name: n }));
        for (const r of socket.rooms) if (r.startsWith('indicator:')) void socket.leave(r);
        for (const n of names) void socket.join(room(n));
        if (devices && parsed.success && parsed.data?.devices === 'arrow') {
          void socket.leave('devices');
          void socket.join('devices:arrow');
        }
        if (typeof ack === 'function') (ack as (v: unknown) => void)({ indicators: names, error: parsed.success ? undefined : 'subscribe expects {indicators?: string[]}' });
      });
    });
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  publishIndicators(changes: readonly IndicatorChange[]): void {
    for (const change of changes) this.io.to(room(change.name)).emit('indicator', change);
  }

  /** Every wall allowed alerts hears every alert change: an operator must not miss one by filtering indicators. */
  publishAlerts(events: readonly AlertEvent[]): void {
    for (const e of events) this.io.to(ALERTS).emit('alert', e);
  }

  publishDevices(devices: readonly Device[]): void {
    if (devices.length === 0) return;
    this.io.to('devices').emit('devices', { devices });
    // Encoded once per tick, whatever the number of walls listening.
    if ((this.io.sockets.adapter.rooms.get('devices:arrow')?.size ?? 0) > 0) this.io.to('devices:arrow').emit('devices:arrow', devicesToArrow(devices));
  }

  close(): Promise<void> {
    return new Promise((resolve) => { void this.io.close(() => resolve()); });
  }
}
