// An outbox that keeps what it is given: what the engine hands over to be emailed, without an SMTP server.
import type { MailMessage, Outbox } from '../../engine/notify/mail.ts';

export class RecordingOutbox implements Outbox {
  readonly posts: { kind: string; message: MailMessage }[] = [];
  private waiting: (() => void)[] = [];

  post(kind: string, message: MailMessage): void {
    this.posts.push({ kind, message });
    for (const w of this.waiting.splice(0)) w();
  }

  /** Resolves once `n` messages have been posted. */
  async until(n: number): Promise<void> {
    while (this.posts.length < n) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
