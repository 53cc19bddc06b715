// Core NATS source: plain subscriptions on city.<family>.>. Core NATS keeps nothing and redelivers nothing, so past
// maxInFlight messages waiting for their commit new ones are dropped and counted, as the server would cut a slow consumer.
import type { Subscription } from '@nats-io/transport-node';
import type { RawMessage, Source, SourceStats, SourceStatus } from '../source.ts';
import { NatsSourceConfig, type NatsSettings } from './config.ts';
import { openConnection, type Connected } from './connect.ts';
import { redact } from './errors.ts';

export class CoreNatsSource implements Source {
  readonly name = 'nats';
  private readonly cfg: NatsSettings;
  private conn: Connected | null = null;
  private subs: Subscription[] = [];
  private inFlight = 0;
  private bytes = 0;
  private dropped = 0;
  private stopped = false;

  constructor(config: NatsSourceConfig) {
    this.cfg = NatsSourceConfig.parse({ ...config, mode: 'core' });
  }

  status(): SourceStatus {
    if (this.stopped) return { type: 'closed', reason: 'stopped' };
    return this.conn?.status() ?? { type: 'connecting', url: redact(this.cfg.url) };
  }

  stats(): SourceStats {
    return {
      inFlight: this.inFlight,
      inFlightBytes: this.bytes,
      unacknowledged: this.inFlight,
      dropped: this.dropped,
      lag: null,
    };
  }

  async start(deliver: (msg: RawMessage) => void): Promise<void> {
    const conn = await openConnection(this.cfg);
    this.conn = conn;
    this.subs = this.cfg.subjects.map((subject) =>
      conn.nc.subscribe(subject, {
        callback: (err, m) => {
          if (err) return;
          if (this.inFlight >= this.cfg.maxInFlight || this.bytes >= this.cfg.maxInFlightBytes) {
            this.dropped++;
            return;
          }
          const size = m.data.byteLength;
          this.inFlight++;
          this.bytes += size;
          let acked = false;
          deliver({
            source: 'nats',
            topic: m.subject,
            payload: m.data,
            receivedAt: Date.now(),
            ack: () => {
              if (!acked) {
                acked = true;
                this.inFlight--;
                this.bytes -= size;
              }
            },
          });
        },
      }),
    );
    // Subscriptions exist once the server has seen them: a flush is the round trip that proves it.
    await conn.nc.flush();
  }

  async pause(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  async stop(): Promise<void> {
    await this.pause();
    const conn = this.conn;
    this.conn = null;
    this.stopped = true;
    await conn?.nc.drain().catch(() => conn.nc.close());
  }
}
