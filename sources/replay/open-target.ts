// Where replayed events go: the city's MQTT broker, NATS (JetStream when a stream holds the subjects), or the
// engine's HTTP ingest, chosen by the URL's scheme. Each keeps a bounded number of sends outstanding.
import type { Target } from './target.ts';

interface TargetOptions {
  /** HTTP only: a bearer token (role device or admin) for an engine with AUTH on. */
  token?: string | undefined;
}

export async function openTarget(url: string, opts: TargetOptions = {}): Promise<Target> {
  const protocol = new URL(url).protocol;
  switch (protocol) {
    case 'mqtt:':
    case 'mqtts:':
    case 'tcp:':
    case 'ws:':
    case 'wss:':
      return (await import('./mqtt-target.ts')).openMqttTarget(url);
    case 'nats:':
    case 'tls:':
      return (await import('./nats-target.ts')).openNatsTarget(url);
    case 'http:':
    case 'https:':
      return (await import('./http-target.ts')).openHttpTarget(url, opts.token);
    default:
      throw new Error(`--to ${url}: expected mqtt://, nats:// or http:// (the engine's address)`);
  }
}
