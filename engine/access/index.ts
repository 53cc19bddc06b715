// Access control's door: roles and route rules, tokens, the HTTP check, the live feeds' rules, the MQTT gate, and the AUTH policy.
export { ACCESS_RULES, ROLES, ruleFor, type AccessRule, type Role } from './roles.ts';
export { TokenStore, type Identity, type TokenRecord } from './tokens.ts';
export { accessControl, bearer, checkToken, type AccessOptions } from './middleware.ts';
export { ANONYMOUS, identityOf } from './identity.ts';
export { mayReceive, mayUse, rolesHearing, routeOf, type LiveFeed } from './live-feeds.ts';
export { engineMqttCredentials, feedsOfFilter, mqttGate, type MqttCredentials, type MqttGateOptions } from './mqtt-gate.ts';
export { authEnabled, isLoopback } from './policy.ts';
