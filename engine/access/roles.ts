// Who may do what: the roles, and the groups of them each kind of work needs. Routes ask for a group with requireRole;
// the live feeds and the MQTT gate take the group of the route they mirror.

export const ROLES = ['operator', 'analyst', 'leader', 'admin', 'device', 'security'] as const;
export type Role = (typeof ROLES)[number];

const only = (...roles: Role[]): readonly Role[] => Object.freeze(roles);

/**
 * Pages carry no data, so they are public and ask for a token when their API calls are refused; health is public for
 * liveness probes. Everything else needs one of these.
 */
export const GRANTS = {
  /** The wall's and the briefing's data: indicators, areas, devices, saved queries and their runs. */
  read: only('operator', 'analyst', 'leader', 'admin', 'security'),
  /** Alerts and incidents as they happen. */
  watch: only('operator', 'leader', 'admin'),
  /** Acknowledging, resolving, ticking an incident's checklist. */
  respond: only('operator', 'admin'),
  /**
   * The raw events: analysts' SQL, the catalog, writing saved queries. Which tables each may read is the families'
   * business (restrictedTables in engine/schema): the security operations centre reads its incidents, analysts do not.
   */
  analyse: only('analyst', 'admin', 'security'),
  /** Sending events (POST /api/ingest, publishing on the embedded broker). */
  ingest: only('device', 'admin'),
  /** Registering devices: their owner agency, model, service state and ward (PUT /api/devices/:id, the CSV import). */
  register: only('admin'),
  /** Publishing indicators and saved queries as open data, and withdrawing them. */
  publish: only('admin'),
  /** The engine's metrics. */
  monitor: only('operator', 'admin'),
};
