// Active alerts on the wall: kept from GET /api/alerts and the live `alert` events; a ticker with acknowledge.
import { z } from 'zod';
import { alertsSchema, type Alert, type AlertEvent } from '../shared/wire/index.ts';
import { escapeHtml, formatHanoiTime } from './format.ts';
import { strings, type Lang } from './i18n.ts';

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export class AlertBoard {
  private readonly byId = new Map<string, Alert>();
  version = 0;

  set(alerts: readonly Alert[]): void {
    this.byId.clear();
    for (const a of alerts) if (a.status !== 'resolved') this.byId.set(a.id, a);
    this.version++;
  }

  apply(event: AlertEvent): void {
    if (event.alert.status === 'resolved') this.byId.delete(event.alert.id);
    else this.byId.set(event.alert.id, event.alert);
    this.version++;
  }

  /** Unacknowledged first, then the most severe, then the newest. */
  active(): Alert[] {
    return [...this.byId.values()].sort(
      (a, b) =>
        (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
        (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) ||
        Date.parse(b.openedAt) - Date.parse(a.openedAt),
    );
  }
}

export async function fetchActiveAlerts(): Promise<Alert[]> {
  const res = await fetch('/api/alerts?status=active&limit=200', { headers: { accept: 'application/json' } });
  // An engine without alerting answers 404: the wall then simply has no ticker entries.
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`/api/alerts: HTTP ${res.status}`);
  return alertsSchema.parse(await res.json()).alerts;
}

/** The alerts whose life overlapped [from, to): what a replayed day shows opening and closing. */
export async function fetchAlertsDuring(from: number, to: number): Promise<Alert[]> {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: '2000' });
  const res = await fetch(`/api/alerts?${q}`, { headers: { accept: 'application/json' } });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`/api/alerts: HTTP ${res.status}`);
  return alertsSchema.parse(await res.json()).alerts;
}

/** The alerts open at `t`, each as it stood then: acknowledged only once it had been. */
export function alertsAt(alerts: readonly Alert[], t: number): Alert[] {
  return alerts
    .filter((a) => Date.parse(a.openedAt) <= t && (a.resolvedAt === null || Date.parse(a.resolvedAt) > t))
    .map((a) => {
      const acked = a.acknowledgedAt !== null && Date.parse(a.acknowledgedAt) <= t;
      return acked
        ? { ...a, status: 'acknowledged' as const }
        : { ...a, status: 'open' as const, acknowledgedBy: null };
    });
}

const AckAnswer = z.looseObject({ alert: z.looseObject({ id: z.string() }) });

/** Who acknowledges is the page's token (the engine records it); the body carries no name. */
export async function acknowledgeAlert(id: string): Promise<void> {
  const res = await fetch(`/api/alerts/${encodeURIComponent(id)}/ack`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`acknowledge ${id}: HTTP ${res.status}`);
  AckAnswer.parse(await res.json());
}

/** The ticker: one line per active alert, the newest critical first; kiosk mode shows it without buttons. */
export function renderTicker(
  el: HTMLElement,
  board: AlertBoard,
  lang: Lang,
  opts: { kiosk: boolean; areaName: (code: string) => string },
): void {
  const s = strings(lang);
  const alerts = board.active();
  el.dataset['count'] = String(alerts.length);
  if (alerts.length === 0) {
    el.innerHTML = `<span class="ticker-label">${s.alerts}</span><span class="ticker-empty">${s.noAlerts}</span>`;
    return;
  }
  const items = alerts
    .slice(0, 12)
    .map((a) => {
      const acked = a.status === 'acknowledged';
      const button =
        opts.kiosk || acked ? '' : `<button type="button" class="ack" data-ack="${escapeHtml(a.id)}">${s.ack}</button>`;
      return (
        `<span class="alert-item sev-${escapeHtml(a.severity)}${acked ? ' acked' : ''}" data-alert="${escapeHtml(a.id)}">` +
        `<b>${escapeHtml(s.severity[a.severity] ?? a.severity)}</b> ${formatHanoiTime(Date.parse(a.openedAt), s.locale)} · ${escapeHtml(a.title[lang])} · ${escapeHtml(opts.areaName(a.area))}` +
        `${a.escalatedAt ? ` <span class="escalated">${escapeHtml(s.escalated)}</span>` : ''}` +
        `${acked ? ` <i>${escapeHtml(s.acked(a.acknowledgedBy ?? ''))}</i>` : ''}${button}</span>`
      );
    })
    .join('');
  el.innerHTML = `<span class="ticker-label">${s.alerts} <b>${alerts.length}</b></span><div class="ticker-items">${items}</div>`;
}
