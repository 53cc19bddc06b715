// Who may do what: the roles, and one rule per route. A route without a rule is refused (and fails the access test).

export const ROLES = ['operator', 'analyst', 'leader', 'admin', 'device'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ['operator', 'analyst', 'leader', 'admin'];
const WALL: readonly Role[] = ['operator', 'leader', 'admin'];
const ANALYST: readonly Role[] = ['analyst', 'admin'];

export interface AccessRule { method: string; path: string; roles: readonly Role[] | 'public' }

/**
 * First match wins; `:name` matches one path segment and a trailing `*` the rest. Pages carry no data, so they are
 * public and ask for a token when their API calls are refused; health is public for liveness probes.
 */
export const ACCESS_RULES: readonly AccessRule[] = [
  { method: 'GET', path: '/', roles: 'public' },
  { method: 'GET', path: '/console', roles: 'public' },
  { method: 'GET', path: '/briefing', roles: 'public' },
  { method: 'GET', path: '/assets/*', roles: 'public' },
  { method: 'GET', path: '/data/*', roles: 'public' },
  { method: 'GET', path: '/api/health', roles: 'public' },
  { method: 'GET', path: '/metrics', roles: ['operator', 'admin'] },
  { method: 'POST', path: '/api/ingest', roles: ['device', 'admin'] },
  { method: 'GET', path: '/api/indicators', roles: ALL },
  { method: 'GET', path: '/api/indicators/:name', roles: ALL },
  { method: 'GET', path: '/api/areas', roles: ALL },
  { method: 'GET', path: '/api/devices', roles: ALL },
  { method: 'GET', path: '/api/devices/:id/series', roles: ALL },
  { method: 'GET', path: '/api/layers/devices', roles: ALL },
  { method: 'GET', path: '/api/briefing', roles: ALL },
  { method: 'GET', path: '/api/alerts', roles: WALL },
  { method: 'POST', path: '/api/alerts/:id/ack', roles: ['operator', 'admin'] },
  { method: 'POST', path: '/api/alerts/:id/resolve', roles: ['operator', 'admin'] },
  { method: 'GET', path: '/api/incidents', roles: WALL },
  { method: 'POST', path: '/api/incidents/:id/checklist/:step', roles: ['operator', 'admin'] },
  { method: 'POST', path: '/api/sql', roles: ANALYST },
  { method: 'POST', path: '/api/sql/:id/cancel', roles: ANALYST },
  { method: 'GET', path: '/api/catalog', roles: ANALYST },
  { method: 'GET', path: '/api/queries', roles: ALL },
  { method: 'GET', path: '/api/queries/:name', roles: ALL },
  { method: 'GET', path: '/api/queries/:name/run', roles: ALL },
  { method: 'PUT', path: '/api/queries/:name', roles: ANALYST },
  { method: 'POST', path: '/api/queries/:name', roles: ANALYST },
  { method: 'DELETE', path: '/api/queries/:name', roles: ANALYST },
  { method: 'POST', path: '/api/queries/:name/promote', roles: ANALYST },
];

const compiled = ACCESS_RULES.map((r) => ({
  ...r,
  re: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/\*$/, '(?:/.*)?').replace(/:[A-Za-z]+/g, '[^/]+')}$`),
}));

/** The rule for a request; HEAD follows GET. */
export function ruleFor(method: string, path: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.re.test(path));
}
