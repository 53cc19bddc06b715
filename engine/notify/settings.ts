// Who is told by email, and when: alert and incident changes, their escalation, and the daily briefing.
import { z } from 'zod';
import { int, list, url } from '../config-fields.ts';

/** A comma-separated list of email addresses; a bad one is named. */
const addresses = list.superRefine((out, ctx) => {
  for (const a of out)
    if (!z.email().safeParse(a).success)
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(a)} is not an email address` });
});

export const NotifySettings = z.object({
  smtpUrl: url(['smtp:', 'smtps:'])
    .optional()
    .describe(
      'the SMTP server emails go through (`smtp://user:password@host:587`, `smtps://…` for TLS from the start); unset: no email is sent',
    ),
  alertEmailTo: addresses.default([]).meta({
    description: 'addresses, separated by commas, told of every alert and incident change',
    shownDefault: 'unset',
  }),
  alertEmailFrom: z
    .string()
    .default('ioc@localhost')
    .describe('the sender of the engine’s emails, e.g. `IOC Hà Nội <ioc@hanoi.gov.vn>`'),
  escalateAfterMin: int(0, 10_080)
    .default(15)
    .describe('an alert or incident still not acknowledged after this many minutes is escalated; `0`: never'),
  escalateEmailTo: addresses.default([]).meta({
    description: 'addresses, separated by commas, told of each escalation (besides `ALERT_EMAIL_TO`)',
    shownDefault: 'unset',
  }),
  briefingAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM')
    .default('07:00')
    .describe('when, Hanoi time, yesterday’s briefing is rendered to PDF and emailed to `BRIEFING_TO`'),
  briefingTo: addresses.default([]).meta({
    description: 'addresses, separated by commas, that receive the daily briefing as a PDF',
    shownDefault: 'unset',
  }),
});
