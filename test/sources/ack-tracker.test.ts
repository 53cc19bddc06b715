// The JetStream acknowledgement rules without a server: under AckAll nothing is acknowledged past a sequence that
// is not committed, whatever order batches commit in; one acknowledgement per commit burst; gaps skipped only when told.
import { describe, expect, it } from 'vitest';
import { AckTracker, type Delivery } from '../../sources/nats/index.ts';

let dseq = 1000;
/** Deliveries whose delivery sequences do not follow the tracker's start, so nothing is inferred from them. */
function deliveries(tracker: AckTracker, seqs: number[], sent: number[], count = 2): Delivery[] {
  dseq += 10;
  return seqs.map((seq) => {
    const d: Delivery = { seq, dseq: ++dseq, count, ack: () => sent.push(seq) };
    tracker.delivered(d);
    return d;
  });
}
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('AckTracker under the AckAll policy', () => {
  it('acknowledges only the last message of a committed run, once per burst', async () => {
    const sent: number[] = [];
    const t = new AckTracker('all', 0);
    const ds = deliveries(t, [1, 2, 3, 4, 5], sent);
    expect(t.inFlight).toBe(5);
    for (const d of ds) t.committedOne(d);
    expect(sent).toEqual([]); // sent after the loop, not per message
    await tick();
    expect(sent).toEqual([5]);
    expect(t.ackFloor).toBe(5);
    expect(t.inFlight).toBe(0);
  });

  it('holds the acknowledgement while an earlier sequence is uncommitted (a failed batch retried later)', async () => {
    const sent: number[] = [];
    const t = new AckTracker('all', 10);
    const ds = deliveries(t, [11, 12, 13, 14, 15, 16], sent);
    for (const d of ds.slice(3)) t.committedOne(d); // 14..16 commit first
    await tick();
    expect(sent).toEqual([]);
    expect(t.held).toBe(3);
    expect(t.gap()).toBeNull(); // 11 is on its way: nothing to ask the server
    for (const d of ds.slice(0, 3)) t.committedOne(d);
    await tick();
    expect(sent).toEqual([16]);
    expect(t.held).toBe(0);
  });

  it("waits for a predecessor's message redelivered behind newer ones, and names it as the gap", async () => {
    const sent: number[] = [];
    // The previous run had 1..3 delivered and died; this run first receives 4..6.
    const t = new AckTracker('all', 0);
    for (const d of deliveries(t, [4, 5, 6], sent)) t.committedOne(d);
    await tick();
    expect(sent).toEqual([]);
    expect(t.gap()).toBe(1);
    for (const d of deliveries(t, [1, 2, 3], sent)) t.committedOne(d);
    await tick();
    expect(sent).toEqual([6]);
    expect(t.gap()).toBeNull();
  });

  it('skips sequences the server says do not exist, and acknowledges what that frees', async () => {
    const sent: number[] = [];
    const t = new AckTracker('all', 0);
    for (const d of deliveries(t, [3, 4, 7], sent)) t.committedOne(d);
    await tick();
    expect(t.gap()).toBe(1);
    t.skipAbsent(3); // 1 and 2 were deleted
    await tick();
    expect(sent).toEqual([4]);
    expect(t.gap()).toBe(5);
    expect(t.lowestHeld()).toBe(7);
    t.skipAbsent(7);
    await tick();
    expect(sent).toEqual([4, 7]);
    expect(t.ackFloor).toBe(7);
  });

  it('acknowledges a redelivery at or below the floor with its burst (it covers nothing uncommitted)', async () => {
    const sent: number[] = [];
    const t = new AckTracker('all', 0);
    for (const d of deliveries(t, [1, 2], sent)) t.committedOne(d);
    await tick();
    const [again] = deliveries(t, [2], sent);
    t.committedOne(again!);
    await tick();
    // Alone, it is sent: the floor's own acknowledgement may have been lost, and the server sends it until it hears.
    expect(sent).toEqual([2, 2]);
    const [twice] = deliveries(t, [1], sent);
    const [third] = deliveries(t, [3], sent);
    t.committedOne(twice!);
    t.committedOne(third!);
    await tick();
    expect(sent).toEqual([2, 2, 3]);
  });

  it("never lets a redelivery's acknowledgement make the server drop the floor's (AckAll, as nats-server judges it)", async () => {
    // nats-server takes an AckAll only if both its stream and its delivery sequence are above those it last took.
    const server = { seq: 20, dseq: 20 };
    const acked: string[] = [];
    const d = (seq: number, ds: number): Delivery => ({
      seq,
      dseq: ds,
      count: 2,
      ack: () => {
        acked.push(`${seq}@${ds}`);
        if (ds > server.dseq && seq > server.seq) Object.assign(server, { seq, dseq: ds });
      },
    });
    const t = new AckTracker('all', 20, { dseq: 50, seq: 50 });
    // 21..50 come again (delivery sequences 51..80); 21 and 22 a third time (81, 82) before the commit.
    const burst = [...Array.from({ length: 30 }, (_, i) => d(21 + i, 51 + i)), d(21, 81), d(22, 82)];
    for (const x of burst) t.delivered(x);
    for (const x of burst) t.committedOne(x);
    await tick();
    expect(acked).toEqual(['50@80']);
    expect(server).toEqual({ seq: 50, dseq: 80 });
  });

  it('acknowledges with the latest delivery of a sequence (the server ignores an older delivery than it has seen)', async () => {
    const acked: string[] = [];
    const t = new AckTracker('all', 0);
    const d = (seq: number, ds: number): Delivery => ({
      seq,
      dseq: ds,
      count: 2,
      ack: () => acked.push(`${seq}@${ds}`),
    });
    const [twoFirst, twoAgain, one] = [d(2, 1), d(2, 7), d(1, 8)];
    for (const x of [twoFirst!, twoAgain!, one!]) t.delivered(x);
    t.committedOne(twoAgain!);
    t.committedOne(twoFirst!);
    await tick();
    expect(acked).toEqual([]);
    t.committedOne(one!);
    await tick();
    expect(acked).toEqual(['2@7']);
    expect(t.inFlight).toBe(0);
  });
});

describe('AckTracker: sequences the consumer never delivers', () => {
  const first = (seq: number, ds: number, sent: number[]): Delivery => ({
    seq,
    dseq: ds,
    count: 1,
    ack: () => sent.push(seq),
  });

  it("passes over the sequences between consecutive first deliveries (another filter's, or deleted)", async () => {
    const sent: number[] = [];
    // The consumer had delivered up to stream 10 (delivery 4) and acknowledged it all.
    const t = new AckTracker('all', 10, { dseq: 4, seq: 10 });
    const ds = [first(12, 5, sent), first(15, 6, sent), first(16, 7, sent)];
    for (const d of ds) t.delivered(d);
    for (const d of ds) t.committedOne(d);
    await tick();
    expect(sent).toEqual([16]);
    expect(t.gap()).toBeNull();
  });

  it('does not pass over a hole where a delivery went missing: it asks (gap) instead', async () => {
    const sent: number[] = [];
    const t = new AckTracker('all', 10, { dseq: 4, seq: 10 });
    const a = first(11, 5, sent);
    const b = first(14, 7, sent); // delivery 6 was lost: it may have been 12 or 13
    for (const d of [a, b]) t.delivered(d);
    for (const d of [a, b]) t.committedOne(d);
    await tick();
    expect(sent).toEqual([11]);
    expect(t.gap()).toBe(12);
  });

  it("keeps the chain across redeliveries in between, and does not pass over a predecessor's message", async () => {
    const sent: number[] = [];
    // Delivered up to 10 before, acknowledged up to 7: 8..10 may come again.
    const t = new AckTracker('all', 7, { dseq: 20, seq: 10 });
    const ds = [first(12, 21, sent), { seq: 9, dseq: 22, count: 2, ack: () => sent.push(9) }, first(14, 23, sent)];
    for (const d of ds) t.delivered(d);
    for (const d of ds) t.committedOne(d);
    await tick();
    expect(sent).toEqual([]);
    expect(t.gap()).toBe(8);
    t.skipAbsent(8);
    const more = [
      { seq: 8, dseq: 24, count: 2, ack: () => sent.push(8) },
      { seq: 10, dseq: 25, count: 2, ack: () => sent.push(10) },
    ];
    for (const d of more) t.delivered(d);
    for (const d of more) t.committedOne(d);
    await tick();
    expect(sent).toEqual([14]);
  });
});

describe('AckTracker under the explicit and none policies', () => {
  it('explicit: each message is acknowledged on its own commit, in any order', () => {
    const sent: number[] = [];
    const t = new AckTracker('explicit', 0);
    const ds = deliveries(t, [1, 2, 3], sent);
    t.committedOne(ds[2]!);
    t.committedOne(ds[0]!);
    expect(sent).toEqual([3, 1]);
    expect(t.gap()).toBeNull();
    expect(t.inFlight).toBe(1);
  });

  it('none: nothing is sent', async () => {
    const sent: number[] = [];
    const t = new AckTracker('none', 0);
    for (const d of deliveries(t, [1, 2], sent)) t.committedOne(d);
    await tick();
    expect(sent).toEqual([]);
    expect(t.inFlight).toBe(0);
  });
});
