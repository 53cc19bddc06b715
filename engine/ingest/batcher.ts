// Micro-batches decoded messages and commits each batch in one DuckDB transaction, then acknowledges its messages.
import type { Connection } from '../db.ts';
import type { RawMessage } from '../../sources/source.ts';
import type { DecodeResult } from '../decode.ts';
import { FAMILIES, FAMILY_DEFS, type Cell, type Column, type Family } from '../schema/index.ts';
import { commitDeadLetters, commitStaged, clearStaging, stageTable, DEAD_LETTER_COLUMNS } from '../store/index.ts';
import { ColumnBuffer } from './buffer.ts';
import type { Logger } from '../log.ts';
import { StorageHealth, type StorageStatus } from './storage-status.ts';

export interface BatcherOptions {
  batchRows: number;
  batchAgeMs: number;
  /**
   * A batch holding fewer rows than `quietRows` when it is `batchAgeMs` old waits until it is `quietAgeMs` old: a
   * commit's statements cost much the same for 20 rows as for 2,000, and at a quiet city's rate ten commits a second
   * were most of what the engine burned. A busy city fills its batches sooner and commits as before.
   */
  quietRows?: number;
  quietAgeMs?: number;
  /** Gets back the messages of a batch whose commit failed, still unacknowledged, to feed them again later. */
  onFailed?: (messages: RawMessage[]) => void;
}

/** What one committed batch changed: fed to the windows/views and to the metrics. */
export interface Committed {
  /** The batch number its rows carry (`_batch`), increasing. */
  batch: number;
  rows: Record<Family, number>;
  inserted: Record<Family, number>;
  deadLetters: number;
  messages: number;
  /** Dirty event-time minutes per family. */
  minutes: Record<Family, Set<number>>;
  /** Newest event time per family in this batch (-Infinity when none). */
  maxTs: Record<Family, number>;
  flushMs: number;
  committedAt: number;
  /** Receive time of the batch's first message: no row of the batch has an earlier `received_at`. */
  oldestReceivedAt: number;
}

export interface IngestStats {
  messages: number;
  rowsIn: Record<Family, number>;
  stored: Record<Family, number>;
  duplicates: number;
  deadLetters: number;
  batches: number;
  failedBatches: number;
  lastCommitAt: number | null;
  lastFlushMs: number;
  pendingRows: number;
  pendingMessages: number;
  /** Receive → commit delay of the oldest message of the last batch. */
  lagMs: number;
  /** Whether commits reach the disk (a full disk, say, stops them: nothing is acknowledged meanwhile). */
  storage: StorageStatus;
}

const zero = (): Record<Family, number> => Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;

/** The figures of an engine that has ingested nothing yet. */
export function noIngestYet(): IngestStats {
  return {
    messages: 0,
    rowsIn: zero(),
    stored: zero(),
    duplicates: 0,
    deadLetters: 0,
    batches: 0,
    failedBatches: 0,
    lastCommitAt: null,
    lastFlushMs: 0,
    pendingRows: 0,
    pendingMessages: 0,
    lagMs: 0,
    storage: { ok: true, failingSince: null, lastError: null, failedCommits: 0 },
  };
}

export class Batcher {
  private buffers = Object.fromEntries(
    FAMILIES.map((f) => [f, new ColumnBuffer(FAMILY_DEFS[f].columns as readonly Column<unknown>[])]),
  ) as Record<Family, ColumnBuffer<unknown>>;
  private dead: Cell[][] = DEAD_LETTER_COLUMNS.map(() => []);
  private acks: RawMessage[] = [];
  private oldest = 0;
  private pending = 0;
  private timer: NodeJS.Timeout | null = null;
  /** When the batch waiting for its age began waiting (the first message after the last commit). */
  private waitingSince = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** The sequence number of the last committed batch (stored with its rows as _batch); 0 before the first. */
  committedBatch = 0;
  private nextBatch = 0;
  readonly stats: IngestStats = noIngestYet();
  private readonly health: StorageHealth;

  constructor(
    private readonly conn: Connection,
    private readonly opts: BatcherOptions,
    private readonly onCommit: (c: Committed) => void,
    log: Logger,
  ) {
    this.health = new StorageHealth(log);
    this.stats.storage = this.health.status;
  }

  /** Whether commits reach the disk; kept up to date in place (`stats.storage` is the same object). */
  get storage(): Readonly<StorageStatus> {
    return this.health.status;
  }

  /** Takes one decoded message; its ack() is called once the batch holding it is committed. */
  push(msg: RawMessage, decoded: DecodeResult): void {
    if (this.closed) return; // not acknowledged: the broker redelivers it to the next run
    this.stats.messages++;
    // A retried message keeps its first receive time, so the oldest is not always the first one pushed.
    this.oldest = this.acks.length === 0 ? msg.receivedAt : Math.min(this.oldest, msg.receivedAt);
    this.acks.push(msg);
    if (decoded.family) {
      const buf = this.buffers[decoded.family];
      for (const row of decoded.rows) buf.push(row, (row.event as { ts: number }).ts);
      this.pending += decoded.rows.length;
      this.stats.rowsIn[decoded.family] += decoded.rows.length;
    }
    for (const r of decoded.rejects) {
      this.dead[0]!.push(msg.receivedAt);
      this.dead[1]!.push(msg.source);
      this.dead[2]!.push(msg.topic);
      this.dead[3]!.push(Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength).toString('base64'));
      this.dead[4]!.push(r.reason);
      this.pending++;
    }
    // While a commit runs, rows pile up and its completion schedules the next one.
    if (!this.flushing) this.schedule();
  }

  get pendingRows(): number {
    return this.pending;
  }

  /** Commits everything pushed before the call (waiting for a commit under way first). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.acks.length === 0) return;
    this.flushing = this.commitOnce().finally(() => {
      this.flushing = null;
      this.schedule();
    });
    await this.flushing;
  }

  private schedule(): void {
    if (this.pending >= this.opts.batchRows) void this.flush();
    else if (this.acks.length > 0 && !this.timer) {
      this.waitingSince = Date.now();
      this.timer = setTimeout(() => this.aged(), this.opts.batchAgeMs);
    }
  }

  private aged(): void {
    const { quietRows = 0, quietAgeMs = 0 } = this.opts;
    const waited = Date.now() - this.waitingSince;
    if (this.pending < quietRows && waited < quietAgeMs) {
      this.timer = setTimeout(() => void this.flush(), quietAgeMs - waited);
      return;
    }
    void this.flush();
  }

  /** Flushes everything and refuses new messages. */
  async close(): Promise<void> {
    while (this.flushing || this.acks.length > 0) await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async commitOnce(): Promise<void> {
    const started = performance.now();
    const acks = this.acks;
    const oldest = this.oldest;
    this.acks = [];
    this.pending = 0;
    const taken = FAMILIES.map((f) => [f, this.buffers[f].take()] as const);
    const dead = this.dead;
    this.dead = DEAD_LETTER_COLUMNS.map(() => []);
    const deadCount = dead[0]!.length;
    const rows = zero();
    const inserted = zero();
    // Increasing across restarts too (it starts from the clock), so the replica's cursor never goes back.
    const batch = (this.nextBatch = Math.max(this.nextBatch + 1, Date.now()));
    // Windows a fold moved besides the events' own (an incident's first report on another day): dirty too.
    const moved = new Map<Family, readonly number[]>();
    try {
      for (const [f, t] of taken) {
        rows[f] = t.rowCount;
        await this.conn.appendColumns(
          stageTable(f),
          (FAMILY_DEFS[f].columns as readonly Column<unknown>[]).map((c) => c.type),
          t.columns,
          t.rowCount,
        );
      }
      await this.conn.appendColumns(
        'stage_dead_letters',
        DEAD_LETTER_COLUMNS.map((c) => c.type),
        dead,
        deadCount,
      );
      await this.conn.transaction(async () => {
        const families = taken.filter(([, t]) => t.rowCount > 0).map(([f, t]) => ({ f, spans: t.spans.values() }));
        moved.clear();
        for (const [f, n] of await commitStaged(this.conn, families, batch, moved)) inserted[f] = n;
        if (deadCount > 0) await commitDeadLetters(this.conn, batch);
      });
    } catch (err) {
      // Nothing is acknowledged: the messages go back to be tried again, and the id dedup absorbs any repeat. The
      // failure is logged once per stretch (a full disk fails every retry until space returns).
      this.health.failed(err, acks.length);
      await clearStaging(this.conn).catch(() => undefined);
      this.stats.failedBatches++;
      this.opts.onFailed?.(acks);
      this.stats.pendingMessages = this.acks.length;
      return;
    }
    this.committedBatch = batch;
    for (const [f, minutes] of moved) for (const m of minutes) taken[FAMILIES.indexOf(f)]![1].minutes.add(m);
    this.health.succeeded();
    for (const m of acks) m.ack();
    const now = Date.now();
    const flushMs = performance.now() - started;
    const s = this.stats;
    s.batches++;
    s.lastCommitAt = now;
    s.lastFlushMs = flushMs;
    s.lagMs = now - oldest;
    s.deadLetters += deadCount;
    for (const f of FAMILIES) {
      s.stored[f] += inserted[f];
      s.duplicates += rows[f] - inserted[f];
    }
    s.pendingRows = this.pending;
    s.pendingMessages = this.acks.length;
    this.onCommit({
      batch,
      rows,
      inserted,
      deadLetters: deadCount,
      messages: acks.length,
      flushMs,
      committedAt: now,
      oldestReceivedAt: oldest,
      minutes: Object.fromEntries(taken.map(([f, t]) => [f, t.minutes])) as Record<Family, Set<number>>,
      maxTs: Object.fromEntries(taken.map(([f, t]) => [f, t.maxTs])) as Record<Family, number>,
    });
  }
}
