// Email: the outbox (queued, retried, counted) and alert and incident changes told by it.
export type { Outbox } from './mail.ts';
export { SmtpOutbox } from './outbox.ts';
export { openOutbox } from './open-outbox.ts';
export { mailNotices } from './notices-by-email.ts';
export { emailHealth, emailMetrics } from './email-health.ts';
