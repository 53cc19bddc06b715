// Alerts' door: rule files, the evaluating engine, the lifecycle tables and their filters, and forwarding to sinks.
export { AlertEngine } from './engine.ts';
export { loadRules } from './load.ts';
export { parseRule, RuleError, type Rule } from './rule.ts';
export { AlertQuery, IncidentQuery } from './filter.ts';
export type { AlertEvent } from './store.ts';
export { ALERT_TABLES } from './store.ts';
export { forwardAlerts, type Forwarding } from './forward.ts';
export { noticeKey, type Notice } from './notice.ts';
export { EscalationWatch } from './escalation-watch.ts';
export { SYSTEM } from './escalate.ts';
export { IncidentChange, IncidentOpen, INCIDENT_TYPES } from './incident-room.ts';
