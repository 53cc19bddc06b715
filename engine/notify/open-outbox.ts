// The outbox the configuration asks for: SMTP through nodemailer when SMTP_URL is set, none otherwise.
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { OUTBOX_DEFAULTS, SmtpOutbox, type MailTransport, type OutboxOptions } from './outbox.ts';

/** Bounded waits: an SMTP server that accepts and then says nothing must not hold the queue for minutes. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function openOutbox(
  config: Pick<Config, 'smtpUrl' | 'alertEmailFrom'>,
  log: Logger,
  opts: OutboxOptions = OUTBOX_DEFAULTS,
): SmtpOutbox | null {
  if (!config.smtpUrl) return null;
  const transport: MailTransport = nodemailer.createTransport({ url: config.smtpUrl, ...TIMEOUTS });
  return new SmtpOutbox(transport, config.alertEmailFrom, log, opts);
}
