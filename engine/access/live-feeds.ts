// Who may hear each live feed (socket.io events, MQTT subscriptions): every feed is the live side of an HTTP route and
// takes that route's rule from roles.ts, so the live feeds and the API cannot drift apart.
import { ROLES, ruleFor, type Role } from './roles.ts';
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

/** The HTTP request whose rule decides who hears a feed. */
export function routeOf(feed: LiveFeed): { method: string; path: string } {
  switch (feed.type) {
    case 'indicators': return { method: 'GET', path: '/api/indicators' };
    case 'indicator': return { method: 'GET', path: `/api/indicators/${encodeURIComponent(feed.name)}` };
    case 'alerts': return { method: 'GET', path: '/api/alerts' };
    case 'devices': return { method: 'GET', path: '/api/layers/devices' };
    case 'queries': return { method: 'GET', path: '/api/queries/tile/run' };
    // Raw events whole are what the analysts' sandbox reads from the event tables; the wall's roles get the device
    // layer instead. A family whose table is restricted further (security) must map to its own rule here.
    case 'device-events': return { method: 'POST', path: '/api/sql' };
  }
}

/** The rule of a request, applied to an identity; no rule means no, as for HTTP. */
export function mayUse(who: Identity, method: string, path: string): boolean {
  const rule = ruleFor(method, path);
  if (!rule) return false;
  return rule.roles === 'public' || rule.roles.includes(who.role);
}

export function mayReceive(who: Identity, feed: LiveFeed): boolean {
  const { method, path } = routeOf(feed);
  return mayUse(who, method, path);
}

/** The roles that may hear at least one of the feeds: who may open a connection carrying them. */
export function rolesHearing(feeds: readonly LiveFeed[]): Role[] {
  return ROLES.filter((role) => feeds.some((feed) => mayReceive({ name: role, role }, feed)));
}
