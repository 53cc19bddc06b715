// Asks, as commands, for the escalation of what fell due: every replica applies them alike, and the walls and the
// outbox hear of each escalation from the change it makes.
import { EngineError } from '../errors.ts';
import type { EscalationWatch } from '../alerts/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import type { Logger } from '../log.ts';

export function escalateOverdue(
  watch: EscalationWatch,
  commands: CommandBus,
  afterMin: number,
  now: number,
  log: Logger,
): void {
  if (afterMin <= 0) return;
  const due = watch.due(now);
  const failed = (kind: 'alert' | 'incident', id: string) => (err: unknown) => {
    // Refused: the replica's tables say there is nothing to escalate; anything else is tried at the next tick.
    if (!(err instanceof EngineError)) watch.retry(kind, id);
    log.warn('escalation failed', { kind, id, err });
  };
  for (const a of due.alerts)
    commands.submit({ type: 'alert.escalate', id: a.id, key: a.key, afterMin, at: now }).catch(failed('alert', a.id));
  for (const id of due.incidents)
    commands.submit({ type: 'incident.escalate', id, afterMin, at: now }).catch(failed('incident', id));
}
