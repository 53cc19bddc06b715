// Where replayed events go: the city's MQTT broker, NATS (JetStream when a stream holds the subjects), or the
// engine's HTTP ingest. Each keeps a bounded number of sends outstanding: send() waits when it is full.
import type { ReplayFamily } from './read.ts';

export interface TargetReport {
  sent: number;
  /** HTTP only: what the engine answered. */
  stored?: number;
  duplicates?: number;
  rejected?: { family: ReplayFamily; id: string | null; reason: string }[];
}

export interface Target {
  /** What the progress line calls it (no credentials). */
  readonly label: string;
  send(family: ReplayFamily, event: Record<string, unknown>): Promise<void>;
  /** Waits for everything sent to be confirmed, and says what came of it. */
  finish(): Promise<TargetReport>;
  close(): Promise<void>;
}

/** The id of the device on whose topic an event goes: city/<family>/<device>. */
export function deviceOf(family: ReplayFamily, event: Record<string, unknown>): string {
  const id = family === 'camera' ? event.cameraId : family === 'sensor' ? event.sensorId : event.agency;
  const s = typeof id === 'string' && id !== '' ? id : 'replay';
  // A topic level or subject token cannot hold the separators or wildcards.
  return s.replace(/[/.#+*>\s]/g, '_');
}

export interface TargetOptions {
  /** HTTP only: a bearer token (role device or admin) for an engine with AUTH on. */
  token?: string | undefined;
}

export async function openTarget(url: string, opts: TargetOptions = {}): Promise<Target> {
  const protocol = new URL(url).protocol;
  switch (protocol) {
    case 'mqtt:': case 'mqtts:': case 'tcp:': case 'ws:': case 'wss:':
      return (await import('./mqtt-target.ts')).openMqttTarget(url);
    case 'nats:': case 'tls:':
      return (await import('./nats-target.ts')).openNatsTarget(url);
    case 'http:': case 'https:':
      return (await import('./http-target.ts')).openHttpTarget(url, opts.token);
    default:
      throw new Error(`--to ${url}: expected mqtt://, nats:// or http:// (the engine's address)`);
  }
}

/** Keeps at most `max` promises pending; `add` waits for room. */
export class Outstanding {
  private readonly pending = new Set<Promise<unknown>>();
  private failure: unknown = null;
  constructor(private readonly max: number) {}

  async add(p: Promise<unknown>): Promise<void> {
    const tracked = p.catch((err: unknown) => { this.failure ??= err; }).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    if (this.failure) throw this.failure;
    while (this.pending.size >= this.max) await Promise.race(this.pending);
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }
}
