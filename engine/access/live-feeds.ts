// Who may hear each live feed (socket.io events, MQTT subscriptions): every feed is the live side of an HTTP route and
// takes that route's group of roles from roles.ts, so the live feeds and the API cannot drift apart.
import { FAMILY_DEFS, isFamily, mayReadTable, restrictedTables } from '../schema/index.ts';
import { GRANTS, ROLES, type Role } from './roles.ts';
import type { Identity } from './tokens.ts';

export type LiveFeed =
  /** The indicator catalogue: which indicators a wall may subscribe to at all. */
  | { type: 'indicators' }
  /** `indicator` updates of one indicator. */
  | { type: 'indicator'; name: string }
  /** `alert` events on socket.io, and the alert topic (ALERT_MQTT_TOPIC) on the embedded broker. */
  | { type: 'alerts' }
  /** `devices` and `devices:arrow`: the wall's device layer. */
  | { type: 'devices' }
  /** The /queries namespace: saved-query tiles re-run each tick. */
  | { type: 'queries' }
  /** A subscription to the devices' own topics (city/<family>/…): their raw events, as published. */
  | { type: 'device-events'; family: string | null };

/**
 * Who hears a feed: the roles of the HTTP route it is the live side of (test/access checks each against its route).
 * Raw events whole are what the analysts' sandbox reads from the event tables (POST /api/sql); the wall's roles get the
 * device layer instead. A family whose table is restricted further (security) is heard only by its readers, and a
 * filter naming no family (`city/#`, `city/+/…`) reaches every family, so it needs every family's readers.
 */
export function feedRoles(feed: LiveFeed): readonly Role[] {
  switch (feed.type) {
    case 'indicators':
      return GRANTS.read; // GET /api/indicators
    case 'indicator':
      return GRANTS.read; // GET /api/indicators/:name
    case 'alerts':
      return GRANTS.watch; // GET /api/alerts
    case 'devices':
      return GRANTS.read; // GET /api/layers/devices
    case 'queries':
      return GRANTS.read; // GET /api/queries/:name/run
    case 'device-events':
      return eventReaders(feed.family); // POST /api/sql, and the family's table
  }
}

function eventReaders(family: string | null): readonly Role[] {
  const tables = family === null ? [...restrictedTables().keys()] : isFamily(family) ? [FAMILY_DEFS[family].table] : [];
  return GRANTS.analyse.filter((role) => tables.every((t) => mayReadTable(t, role)));
}

export function mayReceive(who: Identity, feed: LiveFeed): boolean {
  return feedRoles(feed).includes(who.role);
}

/** The roles that may hear at least one of the feeds: who may open a connection carrying them. */
export function rolesHearing(feeds: readonly LiveFeed[]): Role[] {
  return ROLES.filter((role) => feeds.some((feed) => feedRoles(feed).includes(role)));
}
