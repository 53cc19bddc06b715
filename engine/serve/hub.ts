// The live hub: socket.io rooms per indicator; each tick pushes only the windows and devices that changed, each event
// only to sockets whose role may read the HTTP route it mirrors.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  subscribeSchema,
  type AlertEvent,
  type ClientToServerEvents,
  type Device,
  type IncidentEvent,
  type IndicatorChange,
  type ServerToClientEvents,
  type SubscribeAck,
  type ViewEvent,
} from '../../dashboards/shared/wire/index.ts';
import { mayReceive } from '../access/index.ts';
import { devicesToArrow } from './layers.ts';
import { socketIdentity } from './socket-access.ts';

/** The live feed's server, typed by the wire contract's event maps. */
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** A page's subscription is checked again here: a client may send anything, or nothing. */
const Subscribe = subscribeSchema.optional();
const room = (name: string): string => `indicator:${name}`;
/** Sockets whose role may read GET /api/alerts: `alert` events go here, never to everyone. */
const ALERTS = 'alerts';

export class Hub {
  readonly io: LiveServer;

  /** `corsOrigins`: the other replicas' pages, which may open the live feed here when their own engine dies. */
  /** Sockets that asked for every indicator: they also join the rooms of views made later. */
  private readonly everything = new WeakSet<object>();

  /** `indicatorNames`: the views as they stand (views are made and removed at run time). */
  constructor(
    server: HttpServer,
    private readonly indicatorNames: () => readonly string[],
    corsOrigins: readonly string[] = [],
  ) {
    // Same-origin pages only by default; socket.io's own client file is bundled into the pages.
    this.io = new Server(server, {
      serveClient: false,
      transports: ['websocket', 'polling'],
      ...(corsOrigins.length > 0 ? { cors: { origin: [...corsOrigins], methods: ['GET', 'POST'] } } : {}),
    });
    this.io.on('connection', (socket) => {
      // Rooms are joined once per socket, by the role the handshake found: emitting to a room then needs no check.
      const who = socketIdentity(socket);
      const devices = mayReceive(who, { type: 'devices' });
      if (mayReceive(who, { type: 'alerts' })) void socket.join(ALERTS);
      if (devices) void socket.join('devices');
      socket.on('subscribe', (raw: unknown, ack?: unknown) => {
        const parsed = Subscribe.safeParse(raw);
        const known = new Set(this.indicatorNames());
        if (parsed.success && !parsed.data?.indicators) this.everything.add(socket);
        else this.everything.delete(socket);
        const asked = parsed.success && parsed.data?.indicators ? parsed.data.indicators : [...known];
        const names = asked.filter((n) => known.has(n) && mayReceive(who, { type: 'indicator', name: n }));
        for (const r of socket.rooms) if (r.startsWith('indicator:')) void socket.leave(r);
        for (const n of names) void socket.join(room(n));
        if (devices && parsed.success && parsed.data?.devices === 'arrow') {
          void socket.leave('devices');
          void socket.join('devices:arrow');
        }
        if (typeof ack === 'function') {
          const answer: SubscribeAck = { indicators: names };
          if (!parsed.success) answer.error = 'subscribe expects {indicators?: string[]}';
          (ack as (answer: SubscribeAck) => void)(answer);
        }
      });
    });
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  publishIndicators(changes: readonly IndicatorChange[]): void {
    for (const change of changes) this.io.to(room(change.name)).emit('indicator', change);
  }

  /**
   * Every wall allowed alerts hears every alert change: an operator must not miss one by filtering indicators. The
   * incidents the alerts opened or changed follow as incident events, once each however many of their alerts changed
   * together (a district's 300 silent cameras in 40 wards: 40), so the incident room and the wall's count of
   * incidents follow the alerts rather than wait for a reload.
   */
  publishAlerts(events: readonly AlertEvent[]): void {
    const incidents = new Map<string, IncidentEvent>();
    for (const e of events) {
      this.io.to(ALERTS).emit('alert', e);
      const incident = e.incident;
      if (!incident) continue;
      const type =
        incidents.get(incident.id)?.type === 'opened' ||
        (e.type === 'opened' && incident.detectedAt === e.alert.openedAt)
          ? 'opened'
          : e.type === 'escalated' && incident.escalatedAt === e.alert.escalatedAt
            ? 'escalated'
            : 'changed';
      incidents.set(incident.id, { type, incident });
    }
    for (const e of incidents.values()) this.publishIncident(e);
  }

  /** An incident opened or changed by a person reaches whoever hears the alerts, so a second screen follows the first. */
  publishIncident(e: IncidentEvent): void {
    this.io.to(ALERTS).emit('incident', e);
  }

  publishDevices(devices: Device[]): void {
    if (devices.length === 0) return;
    this.io.to('devices').emit('devices', { devices });
    // Encoded once per tick, whatever the number of walls listening.
    if ((this.io.sockets.adapter.rooms.get('devices:arrow')?.size ?? 0) > 0)
      this.io.to('devices:arrow').emit('devices:arrow', devicesToArrow(devices));
  }

  /** Everyone hears of views made and removed (the catalogue is everyone's); a new view's room takes the sockets that asked for all. */
  publishView(e: ViewEvent): void {
    if (e.change === 'created' || e.change === 'replaced')
      for (const socket of this.io.sockets.sockets.values())
        if (this.everything.has(socket) && mayReceive(socketIdentity(socket), { type: 'indicator', name: e.name }))
          void socket.join(room(e.name));
    this.io.emit('view', e);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      void this.io.close(() => resolve());
    });
  }
}
