// The engine's Prometheus metrics (prom-client): events in, stored and rejected, batches, sources, sockets, DuckDB size.
import { statSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SourceStats, SourceStatus } from '../sources/source.ts';
import { familyOfTopic, type RawMessage } from '../sources/source.ts';
import type { DecodeResult } from './decode.ts';
import type { Committed, IngestStats } from './ingest/index.ts';
import { FAMILIES } from './schema/index.ts';

export interface MetricsInputs {
  ingest(): IngestStats;
  sources(): readonly { name: string; status(): SourceStatus; stats?(): SourceStats }[];
  socketClients(): number;
  /** The DuckDB file ('' or ':memory:' when there is none). */
  dbPath(): string;
  /** Failures of the indicator maintenance: whole ticks, and single view refreshes (retried next tick). */
  ticks?(): { failedTicks: number; failedRefreshes: number };
  /** Analysts' connections replaced after a query ran out of memory or was stopped. */
  sandbox?(): { renewed: number };
  /** The analysts' replica: steps taken and failed, and when the last one ended. */
  replica?(): { steps: number; failures: number; lastStepAt: number };
  /** DuckDB's memory by instance (`engine`, `analysts`) and by what holds it (its `duckdb_memory()` tags). */
  duckdbMemory?(): Promise<readonly DuckdbMemory[]>;
}

export interface DuckdbMemory {
  database: string;
  tag: string;
  bytes: number;
}

/**
 * One registry per engine. Other parts add their own series through `registry` (the watermark delay of the
 * event-time windows, say): `new Gauge({ name, help, registers: [metrics.registry], collect() { … } })`.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<'family' | 'source'>;
  private readonly rejected: Counter<'family' | 'source'>;
  /**
   * Counts by family, then source, not yet in the two counters above: a counter's inc() hashes its labels, once per
   * message, so messages are counted here (no key string made per message) and handed over when the counters are read.
   */
  private readonly tally = new Map<string, Map<string, { received: number; rejected: number }>>();
  private readonly stored: Counter<'family'>;
  private readonly duplicates: Counter<'family'>;
  private readonly batchRows: Histogram;
  private readonly flushSeconds: Histogram;

  constructor(inputs: MetricsInputs) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.received = new Counter({
      name: 'ioc_events_received_total',
      help: 'Valid events decoded, by family and source (before dedup)',
      labelNames: ['family', 'source'],
      registers,
      collect: () => this.handOver(),
    });
    this.rejected = new Counter({
      name: 'ioc_events_rejected_total',
      help: 'Events or messages dead-lettered, by family ("unknown" when the topic names none) and source',
      labelNames: ['family', 'source'],
      registers,
      collect: () => this.handOver(),
    });
    this.stored = new Counter({
      name: 'ioc_events_stored_total',
      help: 'Events committed as new rows, by family',
      labelNames: ['family'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'ioc_events_duplicate_total',
      help: 'Events committed whose id was already stored (redeliveries), by family',
      labelNames: ['family'],
      registers,
    });
    for (const f of FAMILIES) {
      this.stored.inc({ family: f }, 0);
      this.duplicates.inc({ family: f }, 0);
    }
    this.batchRows = new Histogram({
      name: 'ioc_batch_rows',
      help: 'Rows and dead letters per committed batch',
      buckets: [1, 10, 100, 1000, 2500, 5000, 10_000, 25_000, 50_000],
      registers,
    });
    this.flushSeconds = new Histogram({
      name: 'ioc_batch_flush_seconds',
      help: 'Time to stage and commit one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'ioc_ingest_pending_rows',
      help: 'Rows and dead letters buffered, not yet committed',
      registers,
      collect() {
        this.set(inputs.ingest().pendingRows);
      },
    });
    new Gauge({
      name: 'ioc_ingest_lag_seconds',
      help: 'Receive-to-commit delay of the oldest message of the last batch',
      registers,
      collect() {
        this.set(inputs.ingest().lagMs / 1000);
      },
    });
    new Counter({
      name: 'ioc_batches_failed_total',
      help: 'Batches whose commit failed (their messages are retried)',
      registers,
      collect() {
        this.reset();
        this.inc(inputs.ingest().failedBatches);
      },
    });
    new Gauge({
      name: 'ioc_storage_ok',
      help: '1 while commits reach the disk, 0 while they fail (a full disk, say): nothing is acknowledged meanwhile',
      registers,
      collect() {
        this.set(inputs.ingest().storage.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ioc_storage_failing_seconds',
      help: 'How long commits have been failing (0 while they succeed)',
      registers,
      collect() {
        const s = inputs.ingest().storage.failingSince;
        this.set(s === null ? 0 : (Date.now() - s) / 1000);
      },
    });
    const perSource = (name: string, help: string, pick: (s: SourceStats) => number | null): Gauge<'source'> =>
      new Gauge({
        name,
        help,
        labelNames: ['source'],
        registers,
        collect() {
          this.reset();
          for (const s of inputs.sources()) {
            const v = s.stats ? pick(s.stats()) : null;
            if (v !== null) this.set({ source: s.name }, v);
          }
        },
      });
    perSource('ioc_source_in_flight', 'Messages delivered by a source and not yet committed', (s) => s.inFlight);
    perSource(
      'ioc_source_in_flight_bytes',
      'Payload bytes delivered by a source and not yet committed',
      (s) => s.inFlightBytes,
    );
    perSource(
      'ioc_source_unacknowledged',
      'Messages of a source not yet acknowledged to its broker',
      (s) => s.unacknowledged,
    );
    perSource(
      'ioc_source_dropped',
      'Messages a source dropped because the engine was behind (core NATS only)',
      (s) => s.dropped,
    );
    perSource(
      'ioc_source_lag_messages',
      'Messages waiting at the broker for the engine (JetStream num_pending)',
      (s) => s.lag,
    );
    new Gauge({
      name: 'ioc_source_connected',
      help: '1 when the source is connected to its broker',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const s of inputs.sources()) this.set({ source: s.name }, s.status().type === 'connected' ? 1 : 0);
      },
    });
    new Counter({
      name: 'ioc_ticks_failed_total',
      help: 'Indicator ticks that failed as a whole',
      registers,
      collect() {
        this.reset();
        this.inc(inputs.ticks?.().failedTicks ?? 0);
      },
    });
    new Counter({
      name: 'ioc_view_refreshes_failed_total',
      help: 'View refreshes that failed (their windows stay dirty and are retried)',
      registers,
      collect() {
        this.reset();
        this.inc(inputs.ticks?.().failedRefreshes ?? 0);
      },
    });
    new Counter({
      name: 'ioc_sql_connections_renewed_total',
      help: "Analysts' connections replaced after a query ran out of memory or was stopped",
      registers,
      collect() {
        this.reset();
        this.inc(inputs.sandbox?.().renewed ?? 0);
      },
    });
    new Counter({
      name: 'ioc_replica_steps_total',
      help: "Steps that brought the analysts' replica in step with the engine's database",
      registers,
      collect() {
        this.reset();
        this.inc(inputs.replica?.().steps ?? 0);
      },
    });
    new Counter({
      name: 'ioc_replica_step_failures_total',
      help: 'Replica steps that failed (taken again; nothing is lost)',
      registers,
      collect() {
        this.reset();
        this.inc(inputs.replica?.().failures ?? 0);
      },
    });
    new Gauge({
      name: 'ioc_replica_age_seconds',
      help: "Time since the analysts' replica last came in step",
      registers,
      collect() {
        const r = inputs.replica?.();
        this.set(r && r.lastStepAt ? (Date.now() - r.lastStepAt) / 1000 : 0);
      },
    });
    new Gauge({
      name: 'ioc_socketio_clients',
      help: 'Connected socket.io clients (wall, console, briefing)',
      registers,
      collect() {
        this.set(inputs.socketClients());
      },
    });
    // Beside the process's own resident memory (process_resident_memory_bytes): the part DuckDB's instances account
    // for (what their memory limits bound); the rest is the JS heap, the code and the allocators' slack.
    new Gauge({
      name: 'ioc_duckdb_memory_bytes',
      help: "Memory a DuckDB instance holds (engine: the engine's own, analysts: their replica), by what holds it",
      labelNames: ['database', 'tag'],
      registers,
      async collect() {
        this.reset();
        for (const m of (await inputs.duckdbMemory?.()) ?? []) this.set({ database: m.database, tag: m.tag }, m.bytes);
      },
    });
    new Gauge({
      name: 'ioc_duckdb_file_bytes',
      help: 'Size of the DuckDB file and its write-ahead log',
      registers,
      collect() {
        this.set(fileBytes(inputs.dbPath()));
      },
    });
  }

  /** Counts one decoded message by family and source. */
  decoded(msg: RawMessage, result: DecodeResult): void {
    const family = result.family ?? knownFamily(msg.topic);
    let bySource = this.tally.get(family);
    if (!bySource) this.tally.set(family, (bySource = new Map()));
    let t = bySource.get(msg.source);
    if (!t) bySource.set(msg.source, (t = { received: 0, rejected: 0 }));
    t.received += result.rows.length;
    t.rejected += result.rejects.length;
  }

  private handOver(): void {
    for (const [family, bySource] of this.tally)
      for (const [source, t] of bySource) {
        if (t.received > 0) this.received.inc({ family, source }, t.received);
        if (t.rejected > 0) this.rejected.inc({ family, source }, t.rejected);
        t.received = t.rejected = 0;
      }
  }

  committed(c: Committed): void {
    for (const f of FAMILIES) {
      if (c.inserted[f] > 0) this.stored.inc({ family: f }, c.inserted[f]);
      if (c.rows[f] > c.inserted[f]) this.duplicates.inc({ family: f }, c.rows[f] - c.inserted[f]);
    }
    this.batchRows.observe(FAMILIES.reduce((n, f) => n + c.rows[f], c.deadLetters));
    this.flushSeconds.observe(c.flushMs / 1000);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** A label must not be whatever a topic says: only the known families, else "unknown". */
function knownFamily(topic: string): string {
  const f = familyOfTopic(topic);
  return f !== undefined && (FAMILIES as readonly string[]).includes(f) ? f : 'unknown';
}

function fileBytes(path: string): number {
  if (!path || path === ':memory:') return 0;
  let n = 0;
  for (const p of [path, `${path}.wal`]) {
    try {
      n += statSync(p).size;
    } catch {
      /* not there (no WAL right after a checkpoint) */
    }
  }
  return n;
}
