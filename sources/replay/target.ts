// A place replayed events are sent to (one per URL scheme, see open-target.ts) and the device a topic names.
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
