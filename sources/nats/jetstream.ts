// JetStream source: a durable pull consumer on a stream (both created when missing), pulled only while the engine
// keeps up, each message acknowledged only once its batch is committed.
import {
  AckPolicy as Policy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type Consumer,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { RawMessage, Source, SourceStats, SourceStatus, StreamPosition } from '../source.ts';
import { AckTracker, type AckPolicy, type Delivery as TrackedDelivery } from './ack-tracker.ts';
import { NatsSourceConfig, type NatsSettings } from './config.ts';
import { openConnection, type Connected } from './connect.ts';
import { whileElecting } from './elections.ts';
import { NatsSourceError, redact } from './errors.ts';

/** Messages handed on between two turns of the event loop. */
const YIELD_EVERY = 64;

/** How often the consumer's backlog is read, and a floor held up by a missing sequence asks whether it exists. */
const HOUSEKEEPING_MS = 1000;

export class JetStreamSource implements Source {
  readonly name = 'nats';
  private readonly cfg: NatsSettings;
  private conn: Connected | null = null;
  private jsm: JetStreamManager | null = null;
  private tracker: AckTracker | null = null;
  private fetching: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private paused = false;
  private stopped = false;
  private room: (() => void) | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private lag: number | null = null;
  private bytes = 0;
  /** The largest payload of the last pull (before the first: the largest the server allows). */
  private sizeBound = 0;
  private largestThisPull = 0;
  private failures = 0;
  private lastError: string | undefined;

  constructor(config: NatsSourceConfig) {
    this.cfg = NatsSourceConfig.parse({ ...config, mode: 'jetstream' });
  }

  status(): SourceStatus {
    if (this.stopped) return { type: 'closed', reason: 'stopped' };
    const s = this.conn?.status() ?? { type: 'connecting', url: redact(this.cfg.url) };
    // Connected to the server but unable to pull (consumer deleted, say) is not healthy either; one failed pull alone
    // (a missed heartbeat on a busy machine) is retried at once and would only make /api/ready flicker.
    return s.type === 'connected' && this.failures > 1
      ? { type: 'reconnecting', url: s.url, attempt: this.failures, error: this.lastError }
      : s;
  }

  stats(): SourceStats {
    return {
      inFlight: this.tracker?.inFlight ?? 0,
      inFlightBytes: this.bytes,
      unacknowledged: (this.tracker?.inFlight ?? 0) + (this.tracker?.held ?? 0),
      dropped: 0,
      lag: this.lag,
    };
  }

  /** Where the stream stands for this engine: every sequence up to `ackFloor` is committed (acknowledged after it). */
  position(): StreamPosition | null {
    const floor = this.tracker?.ackFloor;
    return floor === undefined ? null : { stream: this.cfg.stream, consumer: this.cfg.consumer, ackFloor: floor };
  }

  async start(deliver: (msg: RawMessage) => void): Promise<void> {
    const conn = await openConnection(this.cfg);
    this.conn = conn;
    try {
      const jsm = await jetstreamManager(conn.nc).catch((err: unknown) => {
        throw new NatsSourceError(
          `the NATS server at ${redact(this.cfg.url)} has no JetStream (${(err as Error).message}): start it with -js, or set NATS_MODE=core`,
          { cause: err },
        );
      });
      this.jsm = jsm;
      const subjects = await whileElecting(() => this.ensureStream(jsm));
      const info = await whileElecting(() => this.ensureConsumer(jsm, subjects));
      // A consumer made to start at a sequence (by `ioc restore`) reports an ack floor of 0 until its first
      // acknowledgement (nats-server 2.9): nothing before its start will ever come, so the floor starts just below it.
      const start =
        info.config.deliver_policy === DeliverPolicy.StartSequence ? (info.config.opt_start_seq ?? 1) - 1 : 0;
      this.tracker = new AckTracker(info.config.ack_policy as AckPolicy, Math.max(info.ack_floor.stream_seq, start), {
        dseq: info.delivered.consumer_seq,
        seq: info.delivered.stream_seq,
      });
      this.lag = info.num_pending;
      const consumer = await jetstream(conn.nc).consumers.get(this.cfg.stream, this.cfg.consumer);
      this.loop = this.pull(consumer, deliver);
      this.gapTimer = setInterval(() => void this.housekeeping(), HOUSEKEEPING_MS);
      this.gapTimer.unref();
    } catch (err) {
      await conn.nc.close().catch(() => undefined);
      this.conn = null;
      throw err;
    }
  }

  /**
   * Stops pulling; what was delivered can still be committed and acknowledged until stop(). The pull under way
   * is left to end by itself (within pullExpiresMs): cut short, the messages the server already sent for it would
   * come back only after the ack wait, and hold the next run's acknowledgements until then.
   */
  async pause(): Promise<void> {
    this.paused = true;
    this.room?.();
    const current = this.fetching;
    if (current && this.loop) {
      const ended = await Promise.race([
        this.loop.then(() => true),
        new Promise<boolean>((r) => setTimeout(r, this.cfg.pullExpiresMs + 1000, false)),
      ]);
      if (!ended) current.stop();
    }
    await this.loop;
  }

  async stop(): Promise<void> {
    await this.pause();
    if (this.gapTimer) clearInterval(this.gapTimer);
    const conn = this.conn;
    this.conn = null;
    this.stopped = true;
    if (!conn) return;
    // Let the acknowledgements queued by the last commit reach the server before closing.
    await new Promise((r) => setImmediate(r));
    await conn.nc.drain().catch(() => conn.nc.close());
  }

  /** Makes the stream when it is missing; answers its subjects. */
  private async ensureStream(jsm: JetStreamManager): Promise<readonly string[]> {
    const c = this.cfg;
    try {
      return (await jsm.streams.info(c.stream)).config.subjects ?? [];
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw this.fail(`cannot read stream ${c.stream}`, err);
    }
    try {
      await jsm.streams.add({
        name: c.stream,
        subjects: c.streamSubjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_age: nanos(c.streamMaxAgeMs),
        duplicate_window: nanos(120_000),
        num_replicas: c.streamReplicas,
      });
      return c.streamSubjects;
    } catch (err) {
      throw this.fail(
        `cannot create stream ${c.stream} on ${c.streamSubjects.join(', ')}${/overlap/.test((err as Error).message) ? ' (another stream already holds these subjects: set NATS_STREAM to its name)' : ''}`,
        err,
      );
    }
  }

  private async ensureConsumer(jsm: JetStreamManager, streamSubjects: readonly string[]): Promise<ConsumerInfo> {
    const c = this.cfg;
    try {
      return await jsm.consumers.info(c.stream, c.consumer);
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound))
        throw this.fail(`cannot read consumer ${c.consumer} of stream ${c.stream}`, err);
    }
    try {
      return await jsm.consumers.add(c.stream, {
        durable_name: c.consumer,
        ack_policy: Policy.All,
        ack_wait: nanos(c.ackWaitMs),
        deliver_policy: DeliverPolicy.All,
        // A filter that is the stream's one subject selects the same messages, and nats-server 2.9 serves a filtered
        // consumer far slower (missing its own pull heartbeats while a new replica replays the stream).
        ...(streamSubjects.length === 1 && streamSubjects[0] === c.filterSubject
          ? {}
          : { filter_subject: c.filterSubject }),
        max_deliver: -1,
        max_ack_pending: 2 * c.maxInFlight,
      });
    } catch (err) {
      throw this.fail(`cannot create consumer ${c.consumer} on stream ${c.stream}`, err);
    }
  }

  /** Room for another pull: a batch within maxInFlight messages, and a message within maxInFlightBytes (or nothing waits). */
  private hasRoom(): boolean {
    const c = this.cfg;
    const inFlight = this.tracker!.inFlight;
    return (
      inFlight === 0 ||
      (inFlight + Math.min(c.pullBatch, c.maxInFlight) <= c.maxInFlight &&
        this.bytes + this.sizeBound <= c.maxInFlightBytes)
    );
  }

  /** Pulls a batch at a time, and only while there is room. */
  private async pull(consumer: Consumer, deliver: (msg: RawMessage) => void): Promise<void> {
    const c = this.cfg;
    const tracker = this.tracker!;
    this.sizeBound = Math.max(1024, this.conn?.nc.info?.max_payload ?? 1024 * 1024);
    while (!this.paused) {
      while (!this.paused && !this.hasRoom()) {
        await new Promise<void>((resolve) => {
          this.room = resolve;
        });
        this.room = null;
      }
      if (this.paused) break;
      try {
        // A pull asks for as many messages as both windows leave room for, sizing messages by the largest of the
        // last pull (the server takes a count or a byte limit, not both).
        const bytesLeft = c.maxInFlightBytes - this.bytes;
        const batch = Math.max(
          1,
          Math.min(c.pullBatch, c.maxInFlight - tracker.inFlight, Math.floor(bytesLeft / this.sizeBound)),
        );
        this.largestThisPull = 0;
        // The client ends a pull after two missed heartbeats, and the messages the server sends it afterwards come back
        // only after the ack wait: the longest heartbeat the server allows (half the expiry) lets a busy event loop lag
        // by the whole expiry first. The expiry stays short: the pulls of a process that died are served until they
        // expire, and what they take also waits for the ack wait.
        const messages = await consumer.fetch({
          max_messages: batch,
          expires: c.pullExpiresMs,
          idle_heartbeat: Math.floor(c.pullExpiresMs / 2),
        });
        this.fetching = messages;
        let n = 0;
        for await (const m of messages) {
          deliver(this.wrap(m));
          // Buffered messages resolve as microtasks, which starve the event loop: the commit under way (many short
          // DuckDB statements, each finishing through the event loop) would wait for the whole pull each time.
          if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
        }
        if (this.largestThisPull > 0) this.sizeBound = Math.max(256, this.largestThisPull);
        this.fetching = null;
        this.failures = 0;
      } catch (err) {
        this.fetching = null;
        // The connection is down or the consumer is gone: wait, then pull again (the connection reconnects by itself).
        this.failures++;
        this.lastError = (err as Error).message;
        if (this.paused) break;
        await new Promise((r) =>
          setTimeout(r, Math.min(c.reconnectMaxMs, c.reconnectMinMs * 2 ** Math.min(this.failures, 16))),
        );
        if (this.jsm && isApiError(err, JetStreamApiCodes.ConsumerNotFound))
          await this.ensureConsumer(this.jsm, await this.ensureStream(this.jsm)).catch(() => undefined);
      }
    }
  }

  private wrap(m: JsMsg): RawMessage {
    const info = m.info;
    const d = new Delivery(m, info.streamSequence, info.deliverySequence, info.deliveryCount);
    const size = m.data.byteLength;
    this.tracker!.delivered(d);
    this.bytes += size;
    if (size > this.largestThisPull) this.largestThisPull = size;
    this.lag = info.pending;
    // The stream's own time of the message, not this process's clock: every replica, and a replay an hour later,
    // counts the same events late.
    return new Delivered(this, d, m.subject, m.data, Math.floor(info.timestampNanos / 1e6), size);
  }

  /** A delivered message's batch is committed: its sequence may raise the ack floor, and its bytes leave the window. */
  committed(d: Delivery, size: number): void {
    this.tracker!.committedOne(d);
    this.bytes -= size;
    if (this.room && this.hasRoom()) this.room();
  }

  private async housekeeping(): Promise<void> {
    const jsm = this.jsm;
    if (!jsm || this.conn?.status().type !== 'connected') return;
    const info = await jsm.consumers.info(this.cfg.stream, this.cfg.consumer).catch(() => null);
    if (!info) return;
    // While the engine is not pulling, deliveries do not tell the backlog: the consumer's info does.
    this.lag = info.num_pending;
    // The server raises its ack floor on its own when a pending message is deleted (under AckAll that covers
    // everything before it too): what lies below will never come again, so waiting for it would stall forever.
    this.tracker?.skipAbsent(info.ack_floor.stream_seq + 1);
    await this.probeGap(jsm);
  }

  /**
   * A floor waiting for a sequence nobody delivers (after deliveries were lost on a reconnect): ask the server for
   * the next message of the filter from there; what lies before it does not exist. If the sequence itself exists,
   * it is a message delivered before and not acknowledged, which comes again after the ack wait.
   */
  private async probeGap(jsm: JetStreamManager): Promise<void> {
    const tracker = this.tracker;
    for (let probes = 0; tracker && probes < 100; probes++) {
      const seq = tracker.gap();
      if (seq === null) return;
      let next: { seq: number } | null;
      try {
        next = await jsm.streams.getMessage(this.cfg.stream, {
          seq,
          next_by_subj: this.cfg.filterSubject,
        } as unknown as { seq: number });
      } catch {
        return; // the server is away: ask again later
      }
      if (tracker.gap() !== seq) continue;
      if (next === null) tracker.skipAbsent(tracker.lowestHeld() ?? seq);
      else if (next.seq > seq) tracker.skipAbsent(next.seq);
      else return;
    }
  }

  private fail(what: string, err: unknown): NatsSourceError {
    return new NatsSourceError(`${what} at ${redact(this.cfg.url)}: ${(err as Error).message}`, { cause: err });
  }
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

// Classes rather than object literals with closures: one of each per message, on the path that sets the catch-up rate.

/** What the ack tracker keeps of a delivery; its ack() sends the acknowledgement to the server. */
class Delivery implements TrackedDelivery {
  constructor(
    private readonly m: JsMsg,
    readonly seq: number,
    readonly dseq: number,
    readonly count: number,
  ) {}

  ack(): void {
    this.m.ack();
  }
}

/** The message as the engine sees it; its ack() says its batch is committed (once, whatever the callers). */
class Delivered implements RawMessage {
  readonly source = 'nats';
  private done = false;

  constructor(
    private readonly owner: JetStreamSource,
    private readonly delivery: Delivery,
    readonly topic: string,
    readonly payload: Uint8Array,
    readonly receivedAt: number,
    private readonly size: number,
  ) {}

  ack(): void {
    if (this.done) return;
    this.done = true;
    this.owner.committed(this.delivery, this.size);
  }
}
