// The incident room's calls: the active list, reporting an incident, and the operators' changes to one.
import { getJson } from '../shared/api.ts';
import { incidentEventSchema, incidentsSchema, type Incident, type IncidentEvent } from '../shared/wire/index.ts';

export async function fetchActiveIncidents(): Promise<Incident[]> {
  return (await getJson('/api/incidents?status=active', incidentsSchema)).incidents;
}

/** The incidents that lived during [from, to): a day replayed on the wall. */
export async function fetchIncidentsDuring(from: number, to: number): Promise<Incident[]> {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return (await getJson(`/api/incidents?${q}`, incidentsSchema)).incidents;
}

/** The incidents active at `t`, each as it stood then: acknowledged or escalated only once it had been. */
export function incidentsAt(incidents: readonly Incident[], t: number): Incident[] {
  const by = (iso: string | null): boolean => iso !== null && Date.parse(iso) <= t;
  return incidents
    .filter((i) => Date.parse(i.detectedAt) <= t && !by(i.resolvedAt))
    .map((i) => ({
      ...i,
      status: by(i.acknowledgedAt) ? 'acknowledged' : 'open',
      acknowledgedAt: by(i.acknowledgedAt) ? i.acknowledgedAt : null,
      escalatedAt: by(i.escalatedAt) ? i.escalatedAt : null,
      resolvedAt: null,
      resolvedBy: null,
      summary: null,
    }));
}

export interface Report {
  type: string;
  severity: string;
  description: string;
  area?: string;
  lat?: number;
  lon?: number;
}

export interface Change {
  status?: 'acknowledged' | 'escalated' | 'resolved';
  assignee?: string | null;
  note?: string;
  summary?: string;
  step?: { n: number; done?: boolean };
}

export function reportIncident(report: Report): Promise<IncidentEvent> {
  return send('POST', '/api/incidents', report);
}

export function changeIncident(id: string, change: Change): Promise<IncidentEvent> {
  return send('PATCH', `/api/incidents/${encodeURIComponent(id)}`, change);
}

/** Who acts is the page's token (the engine records it); the engine's own message is shown when it refuses. */
async function send(method: string, path: string, body: unknown): Promise<IncidentEvent> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const detail = (answer as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(`${method} ${path}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`);
  }
  return incidentEventSchema.parse(answer);
}
