// Access control's door: roles and route rules, tokens, the HTTP check, and the AUTH policy.
export { ACCESS_RULES, ROLES, SOCKET_ROLES, ruleFor, type AccessRule, type Role } from './roles.ts';
export { TokenStore, type Identity, type TokenRecord } from './tokens.ts';
export { accessControl, bearer, checkToken, type AccessOptions } from './middleware.ts';
export { authEnabled, isLoopback } from './policy.ts';
