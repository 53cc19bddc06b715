// Keeps each view's rollup table fresh: per tick, recomputes only the dirty windows and reports the rows that changed.
import type { Connection } from '../db.ts';
import { FAMILY_DEFS, type Family } from '../schema/index.ts';
import { coalesce, DirtyWindows, type Range } from '../windows/index.ts';
import type { ViewDef } from './definition.ts';
import type { Logger } from '../log.ts';

export interface IndicatorRow { t: string; area: string; value: number | null; n: number }
export interface IndicatorChange { name: string; rows: IndicatorRow[] }

const iso = (ms: number): string => new Date(ms).toISOString();
const lit = (ms: number): string => `TIMESTAMPTZ '${iso(ms)}'`;

export class Rollups {
  private readonly dirty = new DirtyWindows();
  private running: Promise<IndicatorChange[]> | null = null;
  lastTickMs = 0;
  ticks = 0;

  constructor(private readonly conn: Connection, readonly views: readonly ViewDef[], private readonly log: Logger) {}

  /** Creates the rollup tables and marks dirty whatever arrived after each rollup was last refreshed. */
  async init(): Promise<void> {
    for (const v of this.views) {
      await this.conn.run(`CREATE TABLE IF NOT EXISTS ${v.name} (t TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE, n BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
      const table = FAMILY_DEFS[v.source].table;
      const since = await this.conn.objects<{ since: string | null }>(`SELECT max(updated_at) - INTERVAL 1 MINUTE AS since FROM ${v.name}`);
      const bound = since[0]?.since ? `WHERE received_at >= TIMESTAMPTZ '${since[0].since}'` : '';
      const minutes = await this.conn.objects<{ m: number }>(`SELECT DISTINCT epoch_ms(time_bucket(INTERVAL 1 MINUTE, ts)) AS m FROM ${table} ${bound}`);
      this.dirty.mark(v.name, v.windowMs, minutes.map((r) => r.m));
    }
  }

  /** Called after each committed batch with the minutes it touched per family. */
  markDirty(family: Family, minutes: Iterable<number>): void {
    const list = [...minutes];
    if (list.length === 0) return;
    for (const v of this.views) if (v.source === family) this.dirty.mark(v.name, v.windowMs, list);
  }

  get dirtyWindows(): number {
    return this.dirty.size;
  }

  /** One refresh of every view with dirty windows; ticks never overlap. */
  tick(): Promise<IndicatorChange[]> {
    if (this.running) return this.running;
    this.running = this.refreshAll().finally(() => { this.running = null; });
    return this.running;
  }

  private async refreshAll(): Promise<IndicatorChange[]> {
    const started = performance.now();
    const changes: IndicatorChange[] = [];
    for (const v of this.views) {
      const starts = this.dirty.take(v.name);
      if (starts.size === 0) continue;
      try {
        const rows: IndicatorRow[] = [];
        for (const range of coalesce(starts, v.windowMs)) rows.push(...(await this.refreshRange(v, range)));
        if (rows.length > 0) changes.push({ name: v.name, rows });
      } catch (err) {
        this.dirty.restore(v.name, starts);
        this.log.error('view refresh failed; its windows stay dirty', { view: v.name, file: v.file, err });
      }
    }
    this.ticks++;
    this.lastTickMs = performance.now() - started;
    return changes;
  }

  /** Recomputes one range in one transaction and returns the rows whose value or count changed. */
  private async refreshRange(v: ViewDef, range: Range): Promise<IndicatorRow[]> {
    const bounds = `t >= ${lit(range.from)} AND t < ${lit(range.to)}`;
    const select = v.sql.replaceAll(/\$from\b/g, lit(range.from)).replaceAll(/\$to\b/g, lit(range.to));
    const read = `SELECT epoch_ms(t) AS t, area, value, n FROM ${v.name} WHERE ${bounds}`;
    return this.conn.transaction(async () => {
      const before = new Map((await this.conn.objects<{ t: number; area: string; value: number | null; n: number }>(read)).map((r) => [`${r.t}|${r.area}`, r]));
      await this.conn.run(`DELETE FROM ${v.name} WHERE ${bounds}`);
      await this.conn.run(`INSERT INTO ${v.name} SELECT t, area, value, n, now() FROM (${select}) WHERE t >= ${lit(range.from)} AND t < ${lit(range.to)}`);
      const after = await this.conn.objects<{ t: number; area: string; value: number | null; n: number }>(read);
      const changed: IndicatorRow[] = [];
      for (const r of after) {
        const old = before.get(`${r.t}|${r.area}`);
        if (!old || old.value !== r.value || old.n !== r.n) changed.push({ t: iso(r.t), area: r.area, value: r.value, n: r.n });
      }
      return changed;
    });
  }
}
