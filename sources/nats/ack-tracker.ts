// Decides which JetStream acknowledgements go out, and when: only for messages whose batch is committed.
//
// Under the `all` ack policy one acknowledgement of stream sequence S tells the server that every message up
// to S is done, so it may be sent only once every sequence up to S has been committed here. Batches do not
// always commit in delivery order (a failed batch is retried later) and a restarted engine receives its
// predecessor's unacknowledged messages only after the ack wait, behind newer ones; so the tracker keeps a
// floor below which everything is committed, raises it over committed sequences only, and acknowledges the
// message at the new floor.
//
// Sequences the consumer never delivers (deleted, or outside its filter) must not hold the floor. A consumer
// delivers new messages in stream order, each delivery taking the next delivery sequence, so when two first
// deliveries follow each other with no delivery sequence missing between them, the stream sequences between
// them do not exist for this consumer. Where that chain breaks (deliveries lost on a reconnect), `gap()` names
// the sequence the floor waits for, and `skipAbsent()` lets the source declare, after asking the server, that
// it does not exist.

export type AckPolicy = 'all' | 'explicit' | 'none';

/** What the tracker needs of a delivered JetStream message. */
export interface Delivery {
  /** Stream sequence. */
  seq: number;
  /** Consumer delivery sequence: a redelivery has a higher one. */
  dseq: number;
  /** 1 for the first delivery of this message to the consumer. */
  count: number;
  ack(): void;
}

export class AckTracker {
  /** Every stream sequence up to here is committed (and acknowledged, or about to be). */
  private floor: number;
  /** Committed above the floor, waiting for the sequences below them: the latest delivery of each. */
  private readonly committed = new Map<number, Delivery>();
  /** Deliveries handed to the engine and not yet committed, per stream sequence. */
  private readonly waiting = new Map<number, number>();
  /** Runs of sequences that do not exist for the consumer: start → end (exclusive). */
  private readonly absent = new Map<number, number>();
  /** The last delivery sequence seen, and the stream sequence of the last first delivery (null: chain broken). */
  private lastDseq: number;
  private lastFirst: number | null;
  private toAck: Delivery | null = null;
  private scheduled = false;
  /** Deliveries handed to the engine and not yet committed. */
  inFlight = 0;
  acksSent = 0;

  /** `delivered`: the consumer's delivered pointers when the run starts (its info's `delivered`). */
  constructor(
    readonly policy: AckPolicy,
    ackFloor: number,
    delivered: { dseq: number; seq: number } = { dseq: 0, seq: ackFloor },
  ) {
    this.floor = ackFloor;
    this.lastDseq = delivered.dseq;
    this.lastFirst = delivered.seq;
  }

  get ackFloor(): number {
    return this.floor;
  }

  /** Committed messages whose acknowledgement waits for an earlier sequence. */
  get held(): number {
    return this.committed.size;
  }

  delivered(d: Delivery): void {
    this.inFlight++;
    if (this.policy !== 'all') return;
    const chained = d.dseq === this.lastDseq + 1;
    this.lastDseq = d.dseq;
    if (d.count === 1) {
      if (chained && this.lastFirst !== null && d.seq > this.lastFirst + 1 && d.seq > this.floor + 1) {
        this.absent.set(Math.max(this.lastFirst, this.floor) + 1, d.seq);
      }
      this.lastFirst = d.seq;
    } else if (!chained) {
      this.lastFirst = null;
    }
    if (d.seq > this.floor) this.waiting.set(d.seq, (this.waiting.get(d.seq) ?? 0) + 1);
  }

  /** The engine committed the batch holding this delivery. */
  committedOne(d: Delivery): void {
    this.inFlight--;
    if (this.policy === 'none') return;
    if (this.policy === 'explicit') {
      this.send(d);
      return;
    }
    if (d.seq <= this.floor) {
      // A redelivery of something already committed. Its acknowledgement covers nothing uncommitted, but it goes out
      // with the burst's, which keeps the highest sequence: the server ignores an AckAll whose delivery sequence is
      // below one it has taken, so this message's (a recent delivery) sent first made it drop the floor's that
      // followed, and everything between came again after the ack wait. Alone (the floor's acknowledgement was
      // lost), it still raises the server's floor to itself.
      this.waiting.delete(d.seq);
      this.queue(d);
      return;
    }
    const n = (this.waiting.get(d.seq) ?? 1) - 1;
    if (n > 0) this.waiting.set(d.seq, n);
    else this.waiting.delete(d.seq);
    const before = this.committed.get(d.seq);
    if (!before || before.dseq < d.dseq) this.committed.set(d.seq, d);
    this.advance();
  }

  /** The next sequence the floor waits for although nothing of it is on its way here; null when not stuck. */
  gap(): number | null {
    if (this.policy !== 'all' || this.committed.size === 0) return null;
    const next = this.floor + 1;
    return this.waiting.has(next) || this.committed.has(next) ? null : next;
  }

  /** No message of the consumer exists between the floor and `seq` (exclusive): deleted, or outside its filter. */
  skipAbsent(seq: number): void {
    if (seq - 1 <= this.floor) return;
    this.floor = seq - 1;
    for (const s of this.waiting.keys()) if (s <= this.floor) this.waiting.delete(s);
    for (const [s, end] of this.absent)
      if (s <= this.floor) {
        this.absent.delete(s);
        if (end - 1 > this.floor) this.absent.set(this.floor + 1, end);
      }
    let last: Delivery | null = null;
    for (const [s, d] of this.committed)
      if (s <= this.floor) {
        last = !last || s > last.seq ? d : last;
        this.committed.delete(s);
      }
    if (last) this.queue(last);
    this.advance();
  }

  /** The lowest sequence committed above the floor, if any. */
  lowestHeld(): number | null {
    let low: number | null = null;
    for (const s of this.committed.keys()) if (low === null || s < low) low = s;
    return low;
  }

  private advance(): void {
    let top: Delivery | null = null;
    for (;;) {
      const next = this.floor + 1;
      const d = this.committed.get(next);
      if (d) {
        this.committed.delete(next);
        this.floor = next;
        top = d;
        continue;
      }
      const end = this.absent.get(next);
      if (end === undefined) break;
      this.absent.delete(next);
      this.floor = end - 1;
    }
    if (top) this.queue(top);
  }

  /** A batch commit acknowledges thousands of messages in one loop: only the last floor is sent, once the loop is over. */
  private queue(d: Delivery): void {
    if (!this.toAck || d.seq > this.toAck.seq || (d.seq === this.toAck.seq && d.dseq > this.toAck.dseq)) this.toAck = d;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const top = this.toAck;
      this.toAck = null;
      if (top) this.send(top);
    });
  }

  private send(d: Delivery): void {
    this.acksSent++;
    d.ack();
  }
}
