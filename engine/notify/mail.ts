// What the engine hands over to be emailed. The outbox, not the caller, sends: queued, retried with back-off, counted
// in health and /metrics, and never in the way of ingestion or a tick.
export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface MailMessage {
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly MailAttachment[];
}

export interface Outbox {
  /** Queues a message; `kind` (alert, incident, escalation, briefing) labels it in health and /metrics. */
  post(kind: string, message: MailMessage): void;
}
