// The active incidents as the page knows them: loaded from GET /api/incidents, then kept by the live `incident` events.
import type { Incident, IncidentEvent } from '../shared/wire/index.ts';

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export class IncidentRoom {
  private readonly byId = new Map<string, Incident>();
  private readonly listeners = new Set<() => void>();
  /** The replayed time the incidents shown stood at; null: live. */
  at: number | null = null;

  set(incidents: readonly Incident[]): void {
    // Replaying: the live list waits for the return to live, which loads it afresh.
    if (this.at !== null) return;
    this.fill(incidents);
  }

  /** The incidents as they stood at `at` (a replayed time); `null` back to live, before the live list is loaded. */
  setPast(incidents: readonly Incident[] | null, at: number | null): void {
    this.at = incidents === null ? null : at;
    this.fill(incidents ?? []);
  }

  private fill(incidents: readonly Incident[]): void {
    this.byId.clear();
    for (const i of incidents) if (i.status !== 'resolved') this.byId.set(i.id, i);
    this.changed();
  }

  apply(event: IncidentEvent): void {
    if (this.at !== null) return;
    const { incident } = event;
    if (incident.status === 'resolved') this.byId.delete(incident.id);
    else this.byId.set(incident.id, incident);
    this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** The most severe first, then the oldest: the one nearest its target leads. */
  active(): Incident[] {
    return [...this.byId.values()].sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity ?? ''] ?? 3) - (SEVERITY_ORDER[b.severity ?? ''] ?? 3) ||
        Date.parse(a.detectedAt) - Date.parse(b.detectedAt),
    );
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
