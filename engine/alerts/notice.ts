// What the engine tells other systems and people of, once per change: an alert change, or an incident opened,
// changed or escalated (with who did it and when, the same on every replica that applied the same command).
import type { IncidentEvent } from '../../dashboards/shared/wire/index.ts';
import type { IncidentChange } from './incident-room.ts';
import type { AlertEvent } from './store.ts';

export type Notice =
  | { on: 'alert'; event: AlertEvent }
  | { on: 'incident'; event: IncidentEvent; by: string; at: number; change: IncidentChange | null };

/** One change, the same key on every replica: an alert changes each way once; an incident at each command's time. */
export const noticeKey = (n: Notice): string =>
  n.on === 'alert' ? `${n.event.alert.id}.${n.event.type}` : `${n.event.incident.id}.${n.event.type}.${n.at}`;
