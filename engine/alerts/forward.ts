// Hands each alert change to the configured sinks (MQTT topic, NATS subject, webhook), so other city systems can react.
import type { Logger } from '../log.ts';
import type { Sink } from '../../sources/sink.ts';
import type { AlertEvent } from './engine.ts';

export interface Forwarding { sink: Sink; prefix: string; separator: '/' | '.' | '' }

/** Sends in the background: a sink that is down costs a log line, never the tick. */
export function forwardAlerts(events: readonly AlertEvent[], targets: readonly Forwarding[], log: Logger): void {
  for (const e of events) {
    const payload = new TextEncoder().encode(JSON.stringify(e));
    for (const t of targets) {
      const subject = t.separator ? [t.prefix, e.alert.severity, e.alert.area].join(t.separator) : t.prefix;
      t.sink.send(subject, payload).catch((err) => log.warn('alert forwarding failed', { sink: t.sink.name, subject, err }));
    }
  }
}
