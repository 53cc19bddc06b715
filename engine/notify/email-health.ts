// The outbox in GET /api/health (totals) and on /metrics (per kind: alert, incident, escalation, briefing).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EmailHealth } from '../../dashboards/shared/wire/index.ts';
import type { OutboxStats } from './outbox.ts';

export function emailHealth(stats: OutboxStats | null): EmailHealth {
  const total = { sent: 0, failed: 0, retries: 0, dropped: 0 };
  for (const c of Object.values(stats?.byKind ?? {}))
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
  return {
    configured: stats !== null,
    queued: stats?.queued ?? 0,
    ...total,
    lastError: stats?.lastError?.message ?? null,
    lastErrorAt: stats?.lastError ? new Date(stats.lastError.at).toISOString() : null,
  };
}

export function emailMetrics(registry: Registry, stats: () => OutboxStats): void {
  const registers = [registry];
  const perKind = (name: string, help: string, field: 'sent' | 'failed' | 'retries' | 'dropped') =>
    new Counter({
      name,
      help,
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, c] of Object.entries(stats().byKind)) this.inc({ kind }, c[field]);
      },
    });
  perKind('ioc_email_sent_total', 'Emails the SMTP server accepted, by kind', 'sent');
  perKind('ioc_email_failed_total', 'Emails given up after every retry, by kind', 'failed');
  perKind('ioc_email_retries_total', 'Sends that failed and were tried again later, by kind', 'retries');
  perKind('ioc_email_dropped_total', 'Emails dropped unsent because the outbox was full, by kind', 'dropped');
  new Gauge({
    name: 'ioc_email_queued',
    help: 'Emails waiting in the outbox',
    registers,
    collect() {
      this.set(stats().queued);
    },
  });
}
