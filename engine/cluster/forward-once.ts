// Alert changes (and incident changes, told by email) are computed by every replica (so a failover loses none) but forwarded by the leader only. The leader
// records each change it forwarded in a replicated stream; every replica reads that ledger, so one that becomes leader
// sends what the old leader had not (its own changes not in the ledger) and nothing twice.
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
  lease: LeaderLease,
  opts: { replicas: number },
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
  const ledger = new Ledger(jetstream(nc), lease, send, log);
  await ledger.start();
  return ledger;
}

class Ledger implements Forwarder {
  /** Changes some leader forwarded, by key, with when they were recorded. */
  private readonly recorded = new Map<string, number>();
  /** Changes this replica saw that no leader has recorded yet. */
  private readonly pending = new Map<string, { event: Notice; at: number }>();
  private messages: ConsumerMessages | null = null;
  /** The ledger's last sequence read here. */
  private readSeq = 0;
  private forwarded = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly js: JetStreamClient,
    private readonly lease: LeaderLease,
    private readonly send: (events: readonly Notice[]) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    // An ordered consumer: the whole ledger from its start, then every new record as it is made.
    const consumer = await this.js.consumers.get(LEDGER_STREAM);
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        this.record(m.string(), Math.floor(m.info.timestampNanos / 1e6));
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
    await this.sending;
    await this.messages?.close();
  }

  /** Resolves once the ledger has been read up to its last record as of now (at most CATCH_UP_MS). */
  private async caughtUp(): Promise<void> {
    const began = Date.now();
    const last = (await this.js.streams.get(LEDGER_STREAM).then((s) => s.info())).state.last_seq;
    while (this.readSeq < last && Date.now() - began < CATCH_UP_MS) await new Promise((r) => setTimeout(r, 20));
  }

  private record(key: string, at: number): void {
    this.recorded.set(key, at);
    this.pending.delete(key);
    if (this.recorded.size % 1024 === 0) this.prune(Date.now());
  }

  /** Sends, in the order they came, the pending changes no leader recorded; one batch at a time. */
  private flushPending(): void {
    this.sending = this.sending
      .then(async () => {
        const now = Date.now();
        this.prune(now);
        const batch = [...this.pending.entries()].filter(([key]) => !this.recorded.has(key));
        if (batch.length === 0 || this.lease.role !== 'leader') return;
        const events = batch.map(([, p]) => p.event);
        await this.send(events);
        this.forwarded += events.length;
        for (const [key] of batch) {
          this.pending.delete(key);
          this.recorded.set(key, now);
          await this.writeRecord(key);
        }
      })
      .catch((err: unknown) => this.log.warn('alert forwarding failed', { err }));
  }

  /**
   * Records a sent change, trying again while the ledger stream elects a leader (a NATS node died): a record lost here
   * would have the next leader send the change again. The message id makes a record published twice count once.
   */
  private async writeRecord(key: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.js.publish(LEDGER_SUBJECT, key, { msgID: key });
        return;
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS) {
          this.log.warn('cannot record a forwarded alert change: another leader may send it again', { key, err });
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }

  private prune(now: number): void {
    for (const [key, at] of this.recorded) if (now - at > KEEP_MS) this.recorded.delete(key);
    for (const [key, p] of this.pending) {
      if (now - p.at <= PENDING_MS) continue;
      this.pending.delete(key);
      this.log.warn('alert change never forwarded: no leader for an hour', { key });
    }
  }
}
