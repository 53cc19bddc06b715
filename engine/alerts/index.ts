// Alerts' door: rule files, the evaluating engine, and the lifecycle tables.
export { AlertEngine, type AlertEvent } from './engine.ts';
export { loadRules } from './load.ts';
export { parseRule, RuleError, SEVERITIES, type Rule, type Severity } from './rule.ts';
export type { Alert, AlertStatus, Incident } from './store.ts';
export { ALERT_TABLES } from './store.ts';
export { forwardAlerts, type Forwarding } from './forward.ts';
