// Hands each alert change to the sinks the composition root opened (MQTT topic, NATS subject, webhook), so other city
// systems can react; this folder knows only the interface, never a connector.
import type { Logger } from '../log.ts';
import type { Notice } from './notice.ts';

/** Somewhere an alert goes: `subject` is a topic, subject or path suffix in the transport's own syntax. */
interface AlertSink {
  readonly name: string;
  send(subject: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A sink and how the subject of each alert is built on it: prefix, then severity and area joined by `separator`. */
export interface Forwarding {
  sink: AlertSink;
  prefix: string;
  separator: '/' | '.' | '';
}

/**
 * Sends the alert changes among the notices to every sink; settles once each send has (a sink that is down costs a log
 * line, never the tick, which does not wait for it).
 */
export async function forwardAlerts(
  notices: readonly Notice[],
  targets: readonly Forwarding[],
  log: Logger,
): Promise<void> {
  const sends: Promise<void>[] = [];
  for (const n of notices) {
    if (n.on !== 'alert') continue;
    const e = n.event;
    const payload = new TextEncoder().encode(JSON.stringify(e));
    for (const t of targets) {
      const subject = t.separator ? [t.prefix, e.alert.severity, e.alert.area].join(t.separator) : t.prefix;
      sends.push(
        t.sink
          .send(subject, payload)
          .catch((err) => log.warn('alert forwarding failed', { sink: t.sink.name, subject, err })),
      );
    }
  }
  await Promise.all(sends);
}
