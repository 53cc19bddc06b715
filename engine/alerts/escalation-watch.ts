// The open, unacknowledged alerts and incidents and when each falls due for escalation, kept in memory from the
// changes the engine sees (every event carries the alert and incident as they now stand), so the tick's check reads
// no table.
import type { Alert, AlertEvent, Incident } from './store.ts';

type AlertKey = { rule: string; area: string; subject: string };

export interface Overdue {
  alerts: { id: string; key: AlertKey }[];
  incidents: string[];
}

export class EscalationWatch {
  private readonly alerts = new Map<string, { due: number; key: AlertKey; incident: string | null }>();
  private readonly incidents = new Map<string, number>();
  /** Escalations asked for and not yet seen applied: not asked again meanwhile. */
  private readonly asked = new Set<string>();

  constructor(private readonly afterMs: number) {}

  seeAlert(a: Alert): void {
    if (a.status === 'open' && a.escalatedAt === null)
      this.alerts.set(a.id, {
        due: Date.parse(a.openedAt) + this.afterMs,
        key: { rule: a.rule, area: a.area, subject: a.subject },
        incident: a.incidentId,
      });
    else if (this.alerts.delete(a.id)) this.asked.delete(`a:${a.id}`);
  }

  seeIncident(i: Incident): void {
    if (i.status === 'open' && i.escalatedAt === null)
      this.incidents.set(i.id, Date.parse(i.detectedAt) + this.afterMs);
    else if (this.incidents.delete(i.id)) this.asked.delete(`i:${i.id}`);
  }

  see(e: AlertEvent): void {
    this.seeAlert(e.alert);
    if (e.incident) this.seeIncident(e.incident);
  }

  /**
   * What fell due by `now` and was not asked for yet (now marked asked). An incident due with one of its alerts goes
   * with that alert: one escalation, one email.
   */
  due(now: number): Overdue {
    const out: Overdue = { alerts: [], incidents: [] };
    if (this.afterMs <= 0) return out;
    for (const [id, w] of this.alerts) {
      if (w.due > now || this.asked.has(`a:${id}`)) continue;
      this.asked.add(`a:${id}`);
      out.alerts.push({ id, key: w.key });
      if (w.incident) this.asked.add(`i:${w.incident}`);
    }
    for (const [id, due] of this.incidents) {
      if (due > now || this.asked.has(`i:${id}`)) continue;
      this.asked.add(`i:${id}`);
      out.incidents.push(id);
    }
    return out;
  }

  /** An ask that failed (not refused): asked again at the next check. */
  retry(kind: 'alert' | 'incident', id: string): void {
    if (kind === 'incident') {
      this.asked.delete(`i:${id}`);
      return;
    }
    this.asked.delete(`a:${id}`);
    const incident = this.alerts.get(id)?.incident;
    if (incident) this.asked.delete(`i:${incident}`);
  }
}
