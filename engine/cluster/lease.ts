// Which replica does the things that must happen once (forwarding alerts): the holder of a key in a NATS KV bucket whose
// entries expire after a TTL. The holder renews it with a compare-and-set; when it dies the key expires and another
// replica's create succeeds. The server keeps the time, so the replicas' clocks do not matter.
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../log.ts';

export const LEADER_BUCKET = 'ioc-leader';
const KEY = 'leader';

export interface LeaseOptions {
  replica: string;
  ttlMs: number;
  replicas: number;
}

export type Role = 'leader' | 'follower';

export class LeaderLease {
  private kv: KV | null = null;
  private revision = 0;
  /** Local time until which this replica may act as leader: half the TTL after its last renewal. */
  private validUntil = 0;
  private holderName: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly listeners: ((role: Role) => void)[] = [];
  private lastRole: Role = 'follower';

  constructor(
    private readonly nc: NatsConnection,
    private readonly opts: LeaseOptions,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.kv = await new Kvm(this.nc).create(LEADER_BUCKET, {
      ttl: this.opts.ttlMs,
      history: 1,
      replicas: this.opts.replicas,
    });
    await this.round();
    // A third of the TTL: two renewals may fail (a stream leader election takes seconds) before the lease is lost.
    this.timer = setInterval(() => void this.round(), Math.max(250, Math.floor(this.opts.ttlMs / 3)));
    this.timer.unref();
  }

  /** Leader only while its lease is surely still held: a paused process must not act on a lease that expired. */
  get role(): Role {
    return Date.now() < this.validUntil ? 'leader' : 'follower';
  }

  get holder(): string | null {
    return this.role === 'leader' ? this.opts.replica : this.holderName;
  }

  onChange(listener: (role: Role) => void): void {
    this.listeners.push(listener);
  }

  /** Gives the lease up at once, so another replica need not wait for the TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const wasLeader = this.role === 'leader';
    this.validUntil = 0;
    if (wasLeader && this.kv) await this.kv.delete(KEY, { previousSeq: this.revision }).catch(() => undefined);
  }

  private async round(): Promise<void> {
    const kv = this.kv;
    if (!kv || this.stopped) return;
    const started = Date.now();
    try {
      if (this.revision > 0) {
        this.revision = await kv.update(KEY, this.opts.replica, this.revision);
      } else {
        this.revision = await kv.create(KEY, this.opts.replica);
      }
      this.validUntil = started + this.opts.ttlMs / 2;
      this.holderName = this.opts.replica;
    } catch {
      // Someone else holds it (or the server is away): follow, and try to take it when it expires.
      this.validUntil = 0;
      this.revision = 0;
      const entry = await kv.get(KEY).catch(() => null);
      this.holderName = entry && entry.operation === 'PUT' ? entry.string() : null;
      // Our own key, left by a renewal whose answer was lost or by this replica's previous run: renew it next round.
      if (entry && this.holderName === this.opts.replica) this.revision = entry.revision;
    }
    this.announce();
  }

  private announce(): void {
    const role = this.role;
    if (role === this.lastRole) return;
    this.lastRole = role;
    this.log.info(role === 'leader' ? 'this replica leads: it forwards alerts' : 'this replica follows', {
      replica: this.opts.replica,
      leader: this.holderName,
    });
    for (const l of this.listeners) l(role);
  }
}
