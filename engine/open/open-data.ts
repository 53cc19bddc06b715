// The open datasets of this engine: what an admin may publish (checked before the command stream and again when each
// replica applies it), what the portal may serve, and the downloads it served.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import type { Sandbox } from '../query/index.ts';
import { Serial } from '../query/serial.ts';
import { typeName } from '../query/result-stream.ts';
import { boundSql, type ViewDef } from '../views/index.ts';
import { isPublishableFamily, type Publication, type PublishBody } from './publication.ts';
import { familyOfTable } from '../schema/index.ts';
import { checkPublishableSql, tablesRead } from './query-guard.ts';
import { queryReadPlan, viewReadPlan, type ReadPlan, type ReadRange } from './read-sql.ts';
import { OpenStore, type StoredDataset } from './store.ts';

/** Who runs the portal's reads in the analysts' sandbox: the engine itself, never the person asking. */
export const OPEN_READER = 'open-data';

export interface OpenDataOptions {
  /** The indicator views as the engine has them now (views made at run time come and go). */
  views: readonly ViewDef[];
  sandbox: Sandbox;
  /** Rows counting fewer events than this are withheld (OPEN_MIN_COUNT). */
  minCount: number;
  /** The rollup table whose update times version a download. */
  rollupTable: string;
}

export interface DatasetListing extends StoredDataset {
  downloads: number;
  /** False while what it reads is gone (a view deleted): the portal then neither lists nor serves it. */
  available: boolean;
}

/** A download ready to run: its SQL and the views whose rows it reads. */
export interface Prepared extends ReadPlan {
  reads: string[];
}

export class OpenData {
  /** Called after a publication changes: the analysts' replica copies the tables. */
  onChange: () => void = () => undefined;
  private readonly downloadsByName: Map<string, number>;
  /** Checks parse on a connection of their own, one statement at a time. */
  private readonly checks = new Serial();
  /** What each view definition reads that is never published (null: nothing). */
  private readonly verdicts = new WeakMap<ViewDef, string | null>();

  private constructor(
    private readonly conn: Connection,
    private readonly store: OpenStore,
    private readonly opts: OpenDataOptions,
    downloads: Map<string, number>,
  ) {
    this.downloadsByName = downloads;
  }

  /**
   * `storeConn` keeps the tables (made first, see OpenStore.createTables); `checkConn` parses the queries checked:
   * both connections of their own on the engine's database.
   */
  static async open(storeConn: Connection, checkConn: Connection, opts: OpenDataOptions): Promise<OpenData> {
    const store = new OpenStore(storeConn);
    return new OpenData(checkConn, store, opts, await store.downloads());
  }

  get minCount(): number {
    return this.opts.minCount;
  }

  /** The views a dataset may read: the catalogue's indicators, without any that reads a family never published. */
  async readable(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const v of this.opts.views) if (!v.hidden && (await this.unpublishedFamily(v)) === null) out.add(v.name);
    return out;
  }

  /** The publication a PUT body asks for, its source resolved (a saved query's SQL as it is now) and checked. */
  async resolve(name: string, body: PublishBody): Promise<Publication> {
    const { view, query, ...words } = body;
    let source: Publication['source'];
    if (view !== undefined) source = { kind: 'view', view };
    else {
      const saved = await this.opts.sandbox.saved.get(query!).catch((err: unknown) => {
        throw err instanceof EngineError && err.code === 'not_found'
          ? new EngineError('not_found', `field "query": no saved query named "${query}"; GET /api/queries lists them`)
          : err;
      });
      source = { kind: 'query', query: saved.name, sql: saved.sql, params: saved.params, reads: [] };
    }
    const p: Publication = { name, source, ...words };
    const checked = await this.check(p);
    if (checked.kind === 'query' && !(await this.columns(checked.sql)).some((c) => c.name === 'n'))
      throw new EngineError(
        'bad_request',
        `field "query": "${checked.query}" returns no column "n"; a published query counts the events behind each row in n, so that small cells can be withheld`,
      );
    return { ...p, source: checked };
  }

  /**
   * Refuses a publication of anything but aggregates over areas and windows; answers its source with what it reads.
   * Decided from the views and the parse alone, so every replica applying the command decides the same, however busy
   * its sandbox is.
   */
  async check(p: Publication): Promise<Publication['source']> {
    const s = p.source;
    if (s.kind === 'view') {
      const v = this.opts.views.find((x) => x.name === s.view && !x.hidden);
      if (!v)
        throw new EngineError(
          'not_found',
          `field "view": no indicator named "${s.view}"; GET /api/indicators lists them`,
        );
      const family = await this.unpublishedFamily(v);
      if (family !== null)
        throw new EngineError(
          'bad_request',
          `field "view": "${s.view}" reads ${family} events, which are never published`,
        );
      return s;
    }
    return { ...s, reads: await this.guard(s.sql) };
  }

  /** What applying an open.put command does on every replica. */
  async put(p: Publication, by: string, at: number): Promise<DatasetListing> {
    const source = await this.check(p);
    await this.store.put({ ...p, source }, by, at);
    this.onChange();
    return (await this.list()).find((d) => d.name === p.name)!;
  }

  async remove(name: string, by: string, at: number): Promise<void> {
    if (!(await this.store.remove(name, by, at)))
      throw new EngineError('not_found', `no open dataset named "${name}"; GET /api/open lists them`);
    this.onChange();
  }

  async list(): Promise<DatasetListing[]> {
    const readable = await this.readable();
    return (await this.store.list()).map((d) => ({
      ...d,
      downloads: this.downloadsByName.get(d.name) ?? 0,
      available: d.source.kind === 'view' ? readable.has(d.source.view) : d.source.reads.every((r) => readable.has(r)),
    }));
  }

  /** The published datasets the portal shows: nothing withdrawn, nothing whose source is gone. */
  async published(): Promise<DatasetListing[]> {
    return (await this.list()).filter((d) => d.available);
  }

  /** A published dataset by name, or 404: the portal reaches nothing else. */
  async dataset(name: string): Promise<DatasetListing> {
    const found = (await this.published()).find((d) => d.name === name);
    if (!found)
      throw new EngineError('not_found', `no open dataset named "${name}"; GET /open/api/datasets lists them`);
    return found;
  }

  /** The download's SQL, its source checked again as it stands now. */
  async prepare(d: StoredDataset, range: ReadRange): Promise<Prepared> {
    const s = d.source;
    if (s.kind === 'view') {
      await this.check(d);
      return { ...viewReadPlan(s.view, range, this.opts.minCount), reads: [s.view] };
    }
    const reads = await this.guard(s.sql);
    const plan = queryReadPlan(s, await this.columns(s.sql), range, this.opts.minCount);
    // The wrapped text is checked like the query itself: it must read nothing more.
    await this.guard(plan.sql);
    return { ...plan, reads };
  }

  /** When the rows a download reads last changed, and how many there are. */
  version(reads: readonly string[]): Promise<{ updatedMs: number | null; rows: number }> {
    return this.store.rowsVersion(reads, this.opts.rollupTable);
  }

  /** A download began: counted, and kept in the database (a failed write loses that one count, not the download). */
  async counted(name: string): Promise<void> {
    this.downloadsByName.set(name, (this.downloadsByName.get(name) ?? 0) + 1);
    await this.store.countDownload(name).catch(() => undefined);
  }

  downloads(): ReadonlyMap<string, number> {
    return this.downloadsByName;
  }

  private async columns(sql: string): Promise<{ name: string; type: string }[]> {
    const d = await this.opts.sandbox.describe(sql, { who: OPEN_READER, role: 'analyst' });
    return d.columns.map((c) => ({ name: c.name, type: typeName(c.type) }));
  }

  /**
   * The family never published that a view reads, by its header or its own SELECT, whatever source its header names
   * (a merged view is judged as its base); null when there is none. Kept per definition: a redefined view is a new one.
   */
  private async unpublishedFamily(v: ViewDef): Promise<string | null> {
    if (!isPublishableFamily(v.source)) return v.source;
    const known = this.verdicts.get(v);
    if (known !== undefined) return known;
    let found: string | null;
    if (v.sql) {
      // A SELECT the parser cannot read is not vouched for: it stays unpublished.
      const tables = await this.checks
        .run(() => tablesRead(this.conn, boundSql(v, 0, v.windowMs)))
        .catch(() => ['unchecked_events']);
      const families = tables.flatMap((t): string[] => {
        const f = t === 'unchecked_events' ? 'unchecked' : familyOfTable(t);
        return f === undefined ? [] : [f];
      });
      found = families.find((f) => !isPublishableFamily(f)) ?? null;
    } else {
      const base = this.opts.views.find((x) => x.name === v.base);
      found = base && base !== v ? await this.unpublishedFamily(base) : null;
    }
    this.verdicts.set(v, found);
    return found;
  }

  /** The views `sql` reads, once it is shown to read nothing but publishable ones. */
  private async guard(sql: string): Promise<string[]> {
    const readable = await this.readable();
    return this.checks.run(async () => {
      // Every table and view of the database: a WITH name may not stand in for one of them.
      const rows = await this.conn.objects<{ name: string }>(
        `SELECT lower(table_name) AS name FROM duckdb_tables() WHERE NOT internal
         UNION SELECT lower(view_name) FROM duckdb_views() WHERE NOT internal`,
      );
      return checkPublishableSql(this.conn, sql, readable, new Set(rows.map((r) => r.name)));
    });
  }
}
