// Whether this replica may serve walls: its durable sources connected and within READY_MAX_LAG messages of the stream
// head, and every command of the command stream applied. Load balancers ask GET /api/ready.
import type { Source } from '../../sources/source.ts';
import type { ReplicaState } from '../../dashboards/shared/wire/index.ts';
import type { Role } from './lease.ts';

export interface ReadinessInputs {
  name: string;
  role: () => Role;
  leader: () => string | null;
  sources: () => readonly Source[];
  /** Commands in the stream this replica has not applied yet (0 without a command stream). */
  commandsBehind: () => number;
  maxLag: number;
}

export function replicaState(r: ReadinessInputs): ReplicaState {
  let lag: number | null = null;
  let reason: string | null = null;
  for (const s of r.sources()) {
    const stats = s.stats?.();
    if (!stats || stats.lag === null) continue;
    const status = s.status();
    if (status.type !== 'connected') reason ??= `source ${s.name} is ${status.type}`;
    // Waiting at the broker, plus delivered and not yet committed.
    lag = (lag ?? 0) + stats.lag + stats.unacknowledged;
  }
  if (lag !== null && lag > r.maxLag)
    reason ??= `catching up: ${lag} messages behind the stream (ready at ${r.maxLag})`;
  const behind = r.commandsBehind();
  if (behind > 0) reason ??= `applying ${behind} command(s) of the command stream`;
  return { name: r.name, role: r.role(), ready: reason === null, lagMessages: lag, leader: r.leader(), reason };
}

/** Whether the durable sources hold more than `maxLag` messages this engine has not committed. */
export function catchingUp(sources: readonly Source[], maxLag: number): boolean {
  let lag = 0;
  for (const s of sources) lag += s.stats?.().lag ?? 0;
  return lag > maxLag;
}
