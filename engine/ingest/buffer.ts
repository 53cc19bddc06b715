// A growing set of columns for one table: rows are split into columns as they arrive, so a flush hands DuckDB whole columns.
import type { Cell, Column, Decoded, SqlType } from '../schema/index.ts';

export class ColumnBuffer<E> {
  readonly types: readonly SqlType[];
  columns: Cell[][];
  rowCount = 0;
  /**
   * Per event-time minute (epoch ms) this buffer touches: the earliest and latest event time. The minutes are the
   * windows its flush makes dirty; the spans, the stretches the store checks for repeats.
   */
  spans = new Map<number, [number, number]>();
  maxTs = -Infinity;

  constructor(private readonly spec: readonly Column<E>[]) {
    this.types = spec.map((c) => c.type);
    this.columns = spec.map(() => []);
  }

  push(row: Decoded<E>, ts: number): void {
    const spec = this.spec;
    for (let c = 0; c < spec.length; c++) this.columns[c]!.push(spec[c]!.get(row));
    const minute = ts - (ts % 60_000);
    const span = this.spans.get(minute);
    if (span === undefined) this.spans.set(minute, [ts, ts]);
    else if (ts < span[0]) span[0] = ts;
    else if (ts > span[1]) span[1] = ts;
    if (ts > this.maxTs) this.maxTs = ts;
    this.rowCount++;
  }

  /** Hands over the filled columns and starts empty ones. */
  take(): {
    columns: Cell[][];
    rowCount: number;
    minutes: Set<number>;
    spans: Map<number, [number, number]>;
    maxTs: number;
  } {
    const out = {
      columns: this.columns,
      rowCount: this.rowCount,
      minutes: new Set(this.spans.keys()),
      spans: this.spans,
      maxTs: this.maxTs,
    };
    this.spans = new Map();
    this.maxTs = -Infinity;
    this.columns = this.spec.map(() => []);
    this.rowCount = 0;
    return out;
  }
}
