// The replica's series on /metrics: whether it leads and is ready, how far behind the stream it is, the commands it
// applied and the alert changes it forwarded.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicaState } from '../../dashboards/shared/wire/index.ts';
import type { CommandStats } from './commands.ts';
import type { ForwardOnceStats } from './forward-once.ts';

export function clusterMetrics(
  registry: Registry,
  inputs: { state(): ReplicaState; commands(): CommandStats; forwarding(): ForwardOnceStats },
): void {
  const registers = [registry];
  new Gauge({
    name: 'ioc_replica_leader',
    help: 'Whether this replica holds the leader lease (it alone forwards alerts): 1 or 0',
    registers,
    collect() {
      this.set(inputs.state().role === 'leader' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ioc_replica_ready',
    help: 'Whether this replica is caught up with its stream and commands (GET /api/ready answers 200): 1 or 0',
    registers,
    collect() {
      this.set(inputs.state().ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ioc_replica_lag_messages',
    help: 'Stream messages this replica has not committed yet',
    registers,
    collect() {
      this.set(inputs.state().lagMessages ?? 0);
    },
  });
  new Counter({
    name: 'ioc_commands_total',
    help: "People's changes taken from the command stream: applied, refused (the same on every replica), failed (taken again)",
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      const s = inputs.commands();
      this.inc({ outcome: 'applied' }, s.applied);
      this.inc({ outcome: 'refused' }, s.refused);
      this.inc({ outcome: 'failed' }, s.failed);
    },
  });
  new Counter({
    name: 'ioc_alert_changes_forwarded_total',
    help: 'Alert changes this replica forwarded as leader',
    registers,
    collect() {
      this.reset();
      this.inc(inputs.forwarding().forwarded);
    },
  });
  new Gauge({
    name: 'ioc_alert_changes_unforwarded',
    help: 'Alert changes this replica computed that no leader has recorded as forwarded yet',
    registers,
    collect() {
      this.set(inputs.forwarding().pending);
    },
  });
}
