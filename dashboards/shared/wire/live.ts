// The socket.io contract of the default namespace: what a page asks for and what the engine pushes each tick.
import { z } from 'zod';
import type { AlertEvent, IncidentEvent } from './alerts.ts';
import type { Devices } from './devices.ts';
import type { IndicatorChange } from './indicators.ts';
import type { ViewEvent } from './views.ts';

/**
 * Sent by the page after every (re)connect; no `indicators` means all of them. `devices: 'arrow'`: the tick's changed
 * devices come as one binary Arrow batch (`devices:arrow`) instead of JSON.
 */
export const subscribeSchema = z.object({
  indicators: z.array(z.string().max(64)).max(200).optional(),
  devices: z.enum(['json', 'arrow']).optional(),
});
export type Subscribe = z.infer<typeof subscribeSchema>;

/** The answer to `subscribe`: the indicators the socket now hears (unknown and forbidden names left out). */
export const subscribeAckSchema = z.object({ indicators: z.array(z.string()), error: z.string().optional() });
export type SubscribeAck = z.infer<typeof subscribeAckSchema>;

/** Events the engine emits; the pages still validate each payload, since the wire proves nothing. */
export interface ServerToClientEvents {
  /** Only the windows of one indicator that changed since the last tick, to the sockets subscribed to it. */
  indicator: (change: IndicatorChange) => void;
  /** Only the devices that changed since the last tick. */
  devices: (event: Devices) => void;
  /** The same as an Arrow IPC stream (id, value, status, lastTs …), for layers too large for JSON. */
  'devices:arrow': (bytes: ArrayBuffer | ArrayBufferView) => void;
  /** One alert opened, acknowledged or resolved, to every socket allowed alerts. */
  alert: (event: AlertEvent) => void;
  /** An incident opened by hand or changed by a person, to every socket allowed alerts. */
  incident: (event: IncidentEvent) => void;
  /** A view was made, changed or removed, or filled a share of its history: pages reload their catalogue. */
  view: (event: ViewEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: Subscribe, ack?: (answer: SubscribeAck) => void) => void;
}
