// Access control's door: roles and what each may do, tokens, the middlewares (authentication, each route's
// requirement, the rate limit, the SQL limit per token), the live feeds' rules, the MQTT gate, and the AUTH policy.
export { GRANTS, ROLES, type Role } from './roles.ts';
export { newToken, TokenStore, type Identity } from './tokens.ts';
export { ANONYMOUS, identityOf, type AccessEnv } from './identity.ts';
export { authenticate, bearer, checkToken } from './authenticate.ts';
export { publicRoute, requireRole, requirementOf, type Requirement } from './require-role.ts';
export { rateLimit } from './rate-limit.ts';
export { SqlSlots, sqlPerToken } from './sql-per-token.ts';
export { type AccessOptions } from './options.ts';
export { feedRoles, mayReceive, rolesHearing, type LiveFeed } from './live-feeds.ts';
export { engineMqttCredentials, feedsOfFilter, mqttGate } from './mqtt-gate.ts';
export { authEnabled, isLoopback } from './policy.ts';
