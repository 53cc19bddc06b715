// Alert and incident changes to ALERT_EMAIL_TO; escalations to ESCALATE_EMAIL_TO as well. Called with what the leader
// forwards, so each change is mailed once however many replicas there are.
import type { Notice } from '../alerts/index.ts';
import type { Config } from '../config.ts';
import { letterOf, type LetterContext } from './letters.ts';
import type { Outbox } from './mail.ts';

export function mailNotices(
  outbox: Outbox,
  config: Pick<Config, 'alertEmailTo' | 'escalateEmailTo' | 'escalateAfterMin'>,
  place: LetterContext['place'],
): (notices: readonly Notice[]) => void {
  const escalateTo = [...new Set([...config.escalateEmailTo, ...config.alertEmailTo])];
  return (notices) => {
    for (const n of notices) {
      const letter = letterOf(n, { place, afterMin: config.escalateAfterMin });
      const to = letter.kind === 'escalation' ? escalateTo : config.alertEmailTo;
      if (to.length > 0) outbox.post(letter.kind, { to, subject: letter.subject, text: letter.text });
    }
  };
}
