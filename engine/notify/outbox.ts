// The outbox over SMTP: messages wait in a bounded queue in memory and go out one at a time, retried with back-off;
// `post` returns at once and never throws, so no email is ever in the way of ingestion or a tick.
import type { Logger } from '../log.ts';
import type { MailMessage, Outbox } from './mail.ts';

/** What actually sends: nodemailer's transport, or a stand-in. */
export interface MailTransport {
  sendMail(
    message: { from: string } & Omit<MailMessage, 'to' | 'attachments'> & Record<string, unknown>,
  ): Promise<unknown>;
  close(): void;
}

export interface OutboxOptions {
  /** Messages held at most; past it the oldest is dropped (and counted). */
  capacity: number;
  /** The first retry's delay, doubled at each further one up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Sends tried per message before it is given up (and counted as failed). */
  attempts: number;
}

export const OUTBOX_DEFAULTS: OutboxOptions = {
  capacity: 1000,
  firstDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  attempts: 10,
};

export interface KindCounts {
  sent: number;
  failed: number;
  retries: number;
  dropped: number;
}

export interface OutboxStats {
  queued: number;
  byKind: Record<string, KindCounts>;
  lastError: { message: string; at: number } | null;
}

interface Queued {
  kind: string;
  message: MailMessage;
  tries: number;
}

export class SmtpOutbox implements Outbox {
  private readonly queue: Queued[] = [];
  private readonly counts = new Map<string, KindCounts>();
  private lastError: OutboxStats['lastError'] = null;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Ends the back-off wait early (on close). */
  private wake: (() => void) | null = null;

  constructor(
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly log: Logger,
    private readonly opts: OutboxOptions = OUTBOX_DEFAULTS,
  ) {}

  post(kind: string, message: MailMessage): void {
    if (this.closed || message.to.length === 0) return;
    this.queue.push({ kind, message, tries: 0 });
    while (this.queue.length > this.opts.capacity) {
      const dropped = this.queue.shift()!;
      this.count(dropped.kind).dropped++;
      this.log.warn('email dropped: the outbox is full', { kind: dropped.kind, subject: dropped.message.subject });
    }
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  stats(): OutboxStats {
    return {
      queued: this.queue.length,
      byKind: Object.fromEntries([...this.counts].map(([k, c]) => [k, { ...c }])),
      lastError: this.lastError && { ...this.lastError },
    };
  }

  /** Stops sending (what is queued is left unsent) and closes the transport; waits for a send under way a moment only. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const running = this.running;
    if (running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    }
    this.transport.close();
  }

  private count(kind: string): KindCounts {
    let c = this.counts.get(kind);
    if (!c) this.counts.set(kind, (c = { sent: 0, failed: 0, retries: 0, dropped: 0 }));
    return c;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const item = this.queue[0];
      if (!item) return;
      try {
        const { to, attachments, ...rest } = item.message;
        await this.transport.sendMail({
          ...rest,
          from: this.from,
          to: to.join(', '),
          ...(attachments ? { attachments: attachments.map((a) => ({ ...a, content: Buffer.from(a.content) })) } : {}),
        });
        this.done(item);
        this.count(item.kind).sent++;
      } catch (err) {
        item.tries++;
        const message = err instanceof Error ? err.message : String(err);
        this.lastError = { message, at: Date.now() };
        if (item.tries >= this.opts.attempts) {
          this.done(item);
          this.count(item.kind).failed++;
          this.log.error('email given up', { kind: item.kind, subject: item.message.subject, tries: item.tries, err });
          continue;
        }
        if (this.closed) return;
        this.count(item.kind).retries++;
        const delay = Math.min(this.opts.maxDelayMs, this.opts.firstDelayMs * 2 ** (item.tries - 1));
        this.log.warn('email not sent, retrying', { kind: item.kind, tries: item.tries, delayMs: delay, err: message });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  /** Takes the item off the queue, unless the queue dropped it meanwhile (it was the oldest when full). */
  private done(item: Queued): void {
    const i = this.queue.indexOf(item);
    if (i >= 0) this.queue.splice(i, 1);
  }
}
