// The command stream (IOC_COMMANDS, subjects ioc.cmd.<type>): every replica applies every command in stream order with
// a durable consumer of its own, one at a time, acknowledging after it is applied; a replica that was down applies
// what it missed before it says it is ready. The replica a person used waits for its own command to be applied.
import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { whileElecting } from '../../sources/nats/elections.ts';
import { Command, type Apply, type CommandBus, type CommandStats } from './commands.ts';

export const COMMAND_STREAM = 'IOC_COMMANDS';
/** How long a person waits for their command to come back through the stream and be applied here. */
const APPLY_WAIT_MS = 10_000;
/** A command that cannot be applied (the database failing) is taken again after this long. */
const RETRY_MS = 1000;

const Envelope = z.object({ origin: z.string(), id: z.string(), command: z.unknown() });

interface Waiter {
  resolve(v: unknown): void;
  reject(err: unknown): void;
}

/** Creates the command stream when missing (a replica at start, or `ioc token` before any replica ran). */
export async function ensureCommandStream(jsm: JetStreamManager, replicas: number): Promise<void> {
  await jsm.streams.info(COMMAND_STREAM).catch(() =>
    jsm.streams.add({
      name: COMMAND_STREAM,
      subjects: ['ioc.cmd.>'],
      storage: StorageType.File,
      // Kept for good: a brand-new replica builds people's changes from the first command.
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(120_000),
      num_replicas: replicas,
    }),
  );
}

/** A replica's durable consumer of the command stream. */
export const commandsConsumer = (replica: string): string => `ioc-${replica}-commands`;

/** The consumer every replica applies commands with; `after` > 0 starts it after that sequence (a restore). */
function commandsConsumerConfig(durable: string, after: number) {
  return {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    ...(after > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }
      : { deliver_policy: DeliverPolicy.All }),
    // One at a time: the next command is not delivered before this one is applied, so the order holds.
    max_ack_pending: 1,
    ack_wait: nanos(30_000),
    max_deliver: -1,
  };
}

/** After a restore: the replica applies again every command after the backup's place (each applies the same twice). */
export async function rewindCommands(jsm: JetStreamManager, replica: string, after: number): Promise<void> {
  const durable = commandsConsumer(replica);
  await jsm.consumers.delete(COMMAND_STREAM, durable).catch(() => undefined);
  await jsm.consumers.add(COMMAND_STREAM, commandsConsumerConfig(durable, after));
}

/** Appends a command; `origin` names who sent it (a replica waits for its own to be applied). */
export async function appendCommand(js: JetStreamClient, origin: string, id: string, cmd: Command): Promise<void> {
  await js.publish(`ioc.cmd.${cmd.type}`, JSON.stringify({ origin, id, command: cmd }), { msgID: id });
}

export async function streamBus(
  nc: NatsConnection,
  opts: { replica: string; replicas: number },
  apply: Apply,
  log: Logger,
): Promise<CommandBus> {
  const jsm = await jetstreamManager(nc);
  await whileElecting(() => ensureCommandStream(jsm, opts.replicas));
  const durable = commandsConsumer(opts.replica);
  const info = await whileElecting(() =>
    jsm.consumers
      .info(COMMAND_STREAM, durable)
      .catch(() => jsm.consumers.add(COMMAND_STREAM, commandsConsumerConfig(durable, 0))),
  );
  const applied = Math.max(info.ack_floor.stream_seq, (info.config.opt_start_seq ?? 1) - 1);
  return new StreamBus(jetstream(nc), jsm, durable, opts.replica, apply, log, applied);
}

class StreamBus implements CommandBus {
  private readonly waiters = new Map<string, Waiter>();
  private readonly counts: CommandStats = { applied: 0, refused: 0, failed: 0 };
  private messages: ConsumerMessages | null = null;
  private pending = 0;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly durable: string,
    private readonly replica: string,
    private readonly apply: Apply,
    private readonly log: Logger,
    /** The last command sequence applied here. */
    private applied: number,
  ) {}

  async start(): Promise<void> {
    await this.refreshBehind();
    const consumer = await this.js.consumers.get(COMMAND_STREAM, this.durable);
    this.messages = await consumer.consume({ max_messages: 1 });
    this.loop = (async () => {
      for await (const m of this.messages!) await this.handle(m);
    })().catch((err: unknown) => this.log.error('command stream stopped', { err }));
    this.timer = setInterval(() => void this.refreshBehind(), 1000);
    this.timer.unref();
  }

  async submit(cmd: Command): Promise<unknown> {
    const id = randomUUID();
    const done = new Promise<unknown>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    try {
      await appendCommand(this.js, this.replica, id, cmd);
    } catch (err) {
      this.waiters.delete(id);
      throw new EngineError('unavailable', `the command stream cannot take the change now: ${(err as Error).message}`);
    }
    this.pending++;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new EngineError(
              'unavailable',
              `the change is in the command stream but this replica has not applied it within ${APPLY_WAIT_MS / 1000} s (it is catching up); it will be`,
            ),
          ),
        APPLY_WAIT_MS,
      );
    });
    try {
      return await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
      this.waiters.delete(id);
    }
  }

  behind(): number {
    return this.pending;
  }

  position(): { stream: string; consumer: string; ackFloor: number } {
    return { stream: COMMAND_STREAM, consumer: this.durable, ackFloor: this.applied };
  }

  stats(): CommandStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.messages?.close();
    await this.loop;
  }

  private async handle(m: JsMsg): Promise<void> {
    let envelope: z.infer<typeof Envelope>;
    let cmd: Command;
    try {
      envelope = Envelope.parse(m.json());
      cmd = Command.parse(envelope.command);
    } catch (err) {
      // Not one of ours (or from a newer release): skipped, and said so, rather than blocking every later command.
      this.log.error('command skipped: not a command this engine knows', { seq: m.seq, subject: m.subject, err });
      this.applied = m.seq;
      m.ack();
      return;
    }
    const waiter = envelope.origin === this.replica ? this.waiters.get(envelope.id) : undefined;
    try {
      const result = await this.apply(cmd);
      this.counts.applied++;
      this.applied = m.seq;
      m.ack();
      waiter?.resolve(result);
    } catch (err) {
      if (err instanceof EngineError) {
        // Refused (an unknown id, say): the same on every replica; the person who sent it is told why.
        this.counts.refused++;
        this.applied = m.seq;
        m.ack();
        waiter?.reject(err);
        return;
      }
      this.counts.failed++;
      this.log.error('command not applied: taken again', { type: cmd.type, seq: m.seq, err });
      m.nak(RETRY_MS);
    } finally {
      this.pending = Math.max(0, m.info.pending);
    }
  }

  private async refreshBehind(): Promise<void> {
    const info = await this.jsm.consumers.info(COMMAND_STREAM, this.durable).catch(() => null);
    if (info) this.pending = info.num_pending + info.num_ack_pending;
  }
}
