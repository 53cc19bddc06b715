// Alert changes (and incident changes, told by email) are computed by every replica (so a failover loses none) but
// forwarded by the leader only, through a replicated ledger: before sending a change the leader claims it there, and
// the server lets one claim of a change through (its message id), so two replicas that both believe they lead (a paused
// process, a lease moving while a NATS node dies) never both send it. Once sent, the change is marked sent; a claim never
// marked sent (its leader died in between) is taken over after a grace period, so a change is sent twice only when a
// leader dies between sending and marking, and lost never.
import {
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { noticeKey, type Notice } from '../alerts/index.ts';
import type { Logger } from '../log.ts';
import type { LeaderLease } from './lease.ts';

export const LEDGER_STREAM = 'IOC_FORWARDED';
const LEDGER_SUBJECT = 'ioc.forwarded';
/** How long a change's record is kept: a replica this far behind does not forward what it computes late. */
const KEEP_MS = 24 * 3600_000;
/** Tries to record a sent change (about a minute and a half in all: longer than a stream leader election). */
const RECORD_ATTEMPTS = 50;
/** A change nobody forwarded for this long is stale news: a new leader drops it rather than sending it. */
const PENDING_MS = 3600_000;

/** How long a new leader waits for the ledger to be read to its end before it sends what no one recorded. */
const CATCH_UP_MS = 5_000;
/** A claim not marked sent after this long is an orphan (its leader died before sending): the next leader sends it. */
const ORPHAN_MS = 30_000;

/** What the ledger asks of the lease: whether this replica leads now, and word when that changes. */
type Lead = Pick<LeaderLease, 'role' | 'onChange'>;

/** Ledger records: `claim <key>` before a send, `sent <key>` after; a bare key (written by earlier releases) is sent. */
const CLAIM = 'claim ';
const SENT = 'sent ';

export interface ForwardOnceStats {
  forwarded: number;
  pending: number;
  recorded: number;
}

export interface Forwarder {
  /** Every alert change this replica computes or applies; sent now, later (after a failover) or never (sent already). */
  offer(events: readonly Notice[]): void;
  stats(): ForwardOnceStats;
  stop(): Promise<void>;
}

/** One engine alone: everything it computes is sent at once. */
export function forwardAlone(send: (events: readonly Notice[]) => Promise<void>): Forwarder {
  let forwarded = 0;
  return {
    offer(events) {
      if (events.length === 0) return;
      forwarded += events.length;
      void send(events);
    },
    stats: () => ({ forwarded, pending: 0, recorded: 0 }),
    stop: async () => undefined,
  };
}

export async function forwardOnce(
  nc: NatsConnection,
  lease: Lead,
  opts: { replicas: number; orphanMs?: number },
  send: (events: readonly Notice[]) => Promise<void>,
  log: Logger,
): Promise<Forwarder> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.info(LEDGER_STREAM).catch(() =>
    jsm.streams.add({
      name: LEDGER_STREAM,
      subjects: [LEDGER_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(KEEP_MS),
      duplicate_window: nanos(120_000),
      num_replicas: opts.replicas,
    }),
  );
  const ledger = new Ledger(jetstream(nc), lease, send, log, opts.orphanMs ?? ORPHAN_MS);
  await ledger.start();
  return ledger;
}

class Ledger implements Forwarder {
  /** Changes some leader sent, by key, with when they were recorded. */
  private readonly recorded = new Map<string, number>();
  /** Changes some leader claimed and has not marked sent yet, with the claim's sequence and time in the ledger. */
  private readonly claimed = new Map<string, { seq: number; at: number }>();
  /** Changes this replica saw that no leader has recorded yet. */
  private readonly pending = new Map<string, { event: Notice; at: number }>();
  private messages: ConsumerMessages | null = null;
  /** The ledger's last sequence read here. */
  private readSeq = 0;
  private forwarded = 0;
  private sending: Promise<void> = Promise.resolve();
  private orphanCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly js: JetStreamClient,
    private readonly lease: Lead,
    private readonly send: (events: readonly Notice[]) => Promise<void>,
    private readonly log: Logger,
    private readonly orphanMs: number,
  ) {}

  async start(): Promise<void> {
    // An ordered consumer: the whole ledger from its start, then every new record as it is made.
    const consumer = await this.js.consumers.get(LEDGER_STREAM);
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        this.read(m.string(), m.seq, Math.floor(m.info.timestampNanos / 1e6));
        this.readSeq = m.seq;
      }
    })().catch((err: unknown) => this.log.warn('alert ledger stopped', { err }));
    this.lease.onChange((role) => {
      // A new leader first reads the ledger to its end: a change the old leader recorded just before it died is
      // sent by nobody again.
      if (role === 'leader')
        void this.caughtUp().then(
          () => this.flushPending(),
          () => this.flushPending(),
        );
    });
  }

  offer(events: readonly Notice[]): void {
    const now = Date.now();
    for (const e of events) {
      const key = noticeKey(e);
      if (!this.recorded.has(key)) this.pending.set(key, { event: e, at: now });
    }
    if (this.lease.role === 'leader') this.flushPending();
  }

  stats(): ForwardOnceStats {
    return { forwarded: this.forwarded, pending: this.pending.size, recorded: this.recorded.size };
  }

  async stop(): Promise<void> {
    if (this.orphanCheck) clearTimeout(this.orphanCheck);
    await this.sending;
    await this.messages?.close();
  }

  /** Resolves once the ledger has been read up to its last record as of now (at most CATCH_UP_MS). */
  private async caughtUp(): Promise<void> {
    const began = Date.now();
    const last = (await this.js.streams.get(LEDGER_STREAM).then((s) => s.info())).state.last_seq;
    while (this.readSeq < last && Date.now() - began < CATCH_UP_MS) await new Promise((r) => setTimeout(r, 20));
  }

  private read(record: string, seq: number, at: number): void {
    if (record.startsWith(CLAIM)) {
      const key = record.slice(CLAIM.length);
      if (!this.recorded.has(key)) this.claimed.set(key, { seq, at });
      return;
    }
    const key = record.startsWith(SENT) ? record.slice(SENT.length) : record;
    this.recorded.set(key, at);
    this.claimed.delete(key);
    this.pending.delete(key);
    if (this.recorded.size % 1024 === 0) this.prune(Date.now());
  }

  /** Sends, in the order they came, the pending changes this leader wins the claim of; one batch at a time. */
  private flushPending(): void {
    this.sending = this.sending
      .then(async () => {
        const now = Date.now();
        this.prune(now);
        if (this.lease.role !== 'leader') return;
        const open = [...this.pending].filter(([key]) => !this.recorded.has(key));
        // Another leader's fresh claim: it is sending; its mark, or the claim's age, decides later.
        const fresh = (key: string) => now - (this.claimed.get(key)?.at ?? -Infinity) < this.orphanMs;
        const tried = open.filter(([key]) => !fresh(key));
        const wins = await Promise.all(tried.map(([key]) => this.claim(key, this.claimed.get(key)?.seq ?? 0)));
        const won = tried.filter((_, i) => wins[i]);
        if (won.length < open.length) this.checkOrphansLater();
        if (won.length === 0) return;
        await this.send(won.map(([, p]) => p.event));
        this.forwarded += won.length;
        for (const [key] of won) {
          this.pending.delete(key);
          this.recorded.set(key, now);
        }
        await Promise.all(won.map(([key]) => this.writeRecord(SENT + key, SENT + key)));
      })
      .catch((err: unknown) => this.log.warn('alert forwarding failed', { err }));
  }

  /**
   * Claims a change: true when this claim is the one the server took. The message id is the change and the orphaned
   * claim it replaces (0: none), so of two leaders claiming the same change, or taking over the same orphan, one wins.
   */
  private async claim(key: string, orphanSeq: number): Promise<boolean> {
    const ack = await this.writeRecord(CLAIM + key, `${CLAIM}${key} ${orphanSeq}`);
    if (!ack) return false;
    if (!ack.duplicate) this.claimed.set(key, { seq: ack.seq, at: Date.now() });
    return !ack.duplicate;
  }

  private checkOrphansLater(): void {
    if (this.orphanCheck) return;
    this.orphanCheck = setTimeout(() => {
      this.orphanCheck = null;
      if (this.pending.size > 0 && this.lease.role === 'leader') this.flushPending();
    }, this.orphanMs / 2);
    this.orphanCheck.unref();
  }

  /**
   * Publishes a record, trying again while the ledger stream elects a leader (a NATS node died): a mark lost here would
   * have the next leader send the change again. The message id makes a record published twice count once.
   */
  private async writeRecord(record: string, msgID: string): Promise<{ seq: number; duplicate: boolean } | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.js.publish(LEDGER_SUBJECT, record, { msgID });
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS) {
          this.log.warn('cannot write to the alert ledger: a change may be sent again or later', { record, err });
          return null;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }

  private prune(now: number): void {
    for (const [key, at] of this.recorded) if (now - at > KEEP_MS) this.recorded.delete(key);
    for (const [key, c] of this.claimed) if (now - c.at > KEEP_MS) this.claimed.delete(key);
    for (const [key, p] of this.pending) {
      if (now - p.at <= PENDING_MS) continue;
      this.pending.delete(key);
      this.log.warn('alert change never forwarded: no leader for an hour', { key });
    }
  }
}
