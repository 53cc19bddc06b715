// Views created, redefined and removed on a running engine, in the format of views/**/*.sql: checked as a file view is
// at start-up (and the SQL as an analyst's), kept in runtime_definitions, filled from the history, then maintained
// like the others. Every replica applies the same changes from the command stream.
import type { Role } from '../access/index.ts';
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { readHeader } from '../definitions/index.ts';
import type { RuntimeDefinitions } from '../definitions/runtime-store.ts';
import {
  apiFile as fileOf,
  definitionProblem,
  loadStored,
  RuntimeSet,
  type LoadedDefinitions,
} from '../definitions/runtime-set.ts';
import type { Logger } from '../log.ts';
import { linkViews, parseView, type ViewDef } from './definition.ts';
import { readCatalog } from './describe.ts';
import type { Rollups, ViewStatus } from './rollups.ts';
import type { ViewDescription } from '../../dashboards/shared/wire/index.ts';
import { guardViewSql } from './runtime-guard.ts';
import { outputColumns } from './view-sql.ts';
import { ROLLUP_TABLE } from './view-state.ts';
import { DEFINITION_MAX_TEXT as MAX_VIEW_TEXT } from '../cluster/commands.ts';

/** A view change the walls and the analysts' replica hear of. */
export interface ViewEvent {
  name: string;
  change: 'created' | 'replaced' | 'deleted' | 'live';
}

export class LiveViews extends RuntimeSet {
  onChange: (e: ViewEvent) => void = () => undefined;
  /** The alert rules that judge an indicator: it is not removed from under them. */
  rulesUsing: (view: string) => string[] = () => [];

  constructor(
    private readonly conn: Connection,
    private readonly store: RuntimeDefinitions,
    private readonly rollups: Rollups,
    private readonly log: Logger,
  ) {
    super();
    rollups.onBackfilled = (name) => {
      const owner = this.ownerOf(name);
      if (owner) this.onChange({ name: owner, change: 'live' });
    };
  }

  /**
   * The runtime views stored, linked after the file views, before the rollups start: a stored view that no longer
   * loads is left out (and listed as failed) rather than stopping the engine.
   */
  static async load(
    store: RuntimeDefinitions,
    fileViews: readonly ViewDef[],
    log: Logger,
  ): Promise<LoadedDefinitions & { views: ViewDef[] }> {
    let views = [...fileViews];
    const loaded = await loadStored(
      store,
      'view',
      (d) => {
        const parsed = parseView(fileOf(d.name), d.text);
        if (views.some((v) => v.name === parsed.name)) throw new Error(`a view named "${parsed.name}" already exists`);
        views = linkViews([...views, parsed]);
      },
      log,
    );
    return { ...loaded, views };
  }

  /**
   * Checks a definition as the engine would load it: header, name, links to its base, SQL against the real tables.
   * Answers the view and the views it expands to (a hidden partial rollup, for `partial:`). `replacing`: the name of
   * the runtime view it redefines.
   */
  async check(
    text: string,
    replacing?: string,
    /** The author's role: the tables the view may read. */
    role?: Role,
  ): Promise<{ view: ViewDef; parsed: ViewDef; pieces: ViewDef[]; next: ViewDef[] }> {
    if (text.length > MAX_VIEW_TEXT)
      throw new EngineError('too_large', `the view is ${text.length} characters; at most ${MAX_VIEW_TEXT}`);
    if (text.includes('\0')) throw new EngineError('bad_request', 'the view contains a NUL character (\\0)');
    const view = definitionError(() => parseView(fileOf('view'), text));
    view.file = fileOf(view.name);
    if (replacing !== undefined && view.name !== replacing)
      throw new EngineError(
        'bad_request',
        `line 1: name: the text names "${view.name}", the address "${replacing}": a view keeps its name`,
      );
    const fileView = this.rollups.views.find((v) => v.name === view.name && !this.ownsPiece(v.name));
    if (fileView)
      throw new EngineError(
        'conflict',
        `name: "${view.name}" is defined in ${fileView.file}; change that file, or choose another name`,
      );
    if (replacing === undefined && (this.runtime.has(view.name) || this.broken.has(view.name)))
      throw new EngineError(
        'conflict',
        `name: a view named "${view.name}" already exists; PUT /api/views/${view.name} redefines it`,
      );
    await this.checkNameFree(view.name);
    const keep = this.rollups.views.filter((v) => replacing === undefined || this.ownerOf(v.name) !== replacing);
    if (replacing !== undefined) this.checkUnused(replacing, keep, view);
    const next = definitionError(() => linkViews([...keep, view]));
    const pieces = next.filter((v) => v.name === view.name || v.name === `${view.name}__partial`);
    const catalog = await readCatalog(this.conn);
    for (const p of pieces.filter((x) => x.sql)) {
      await guardViewSql(this.conn, p, role).catch((err: unknown) => {
        throw atBody(err, text);
      });
      await definitionError(() => outputColumns(this.conn, p, catalog), text);
    }
    return { view: pieces.find((p) => !p.hidden) ?? view, parsed: view, pieces, next };
  }

  /** Creates (or, with `replacing`, redefines and rebuilds) a checked view: what applying its command does. */
  async put(text: string, who: string, at: number, replacing?: string): Promise<ViewDescription> {
    const { view, pieces, next } = await this.check(text, replacing);
    // Views merged from a redefined one are rebuilt from its new rows.
    const dependents = replacing === undefined ? [] : next.filter((v) => v.base === view.name);
    const removed = replacing === undefined ? [] : [...this.piecesOf(replacing), ...dependents.map((v) => v.name)];
    await this.rollups.changeViews(next, [...pieces, ...dependents], removed);
    await this.remember(this.store, 'view', view.name, text, who, at);
    this.onChange({ name: view.name, change: replacing === undefined ? 'created' : 'replaced' });
    this.log.info(replacing === undefined ? 'view created' : 'view redefined', { view: view.name, by: who });
    return this.describe(view.name);
  }

  async remove(name: string, who: string, at: number): Promise<void> {
    if (!this.runtime.has(name) && !this.broken.has(name)) throw this.refuse(name);
    const rules = this.rulesUsing(name);
    if (rules.length > 0)
      throw new EngineError(
        'conflict',
        `alert rule${rules.length > 1 ? 's' : ''} ${rules.join(', ')} judge${rules.length > 1 ? '' : 's'} view "${name}"; delete ${rules.length > 1 ? 'them' : 'it'} first`,
      );
    if (this.runtime.has(name)) {
      const keep = this.rollups.views.filter((v) => this.ownerOf(v.name) !== name);
      this.checkUnused(name, keep);
      await this.rollups.changeViews(keep, [], this.piecesOf(name));
    }
    await this.forget(this.store, 'view', name, who, at);
    this.onChange({ name, change: 'deleted' });
    this.log.info('view deleted', { view: name, by: who });
  }

  /** A view as GET /api/views/:name shows it: where it comes from, where it stands, how many rows it holds. */
  async describe(name: string): Promise<ViewDescription> {
    const d = this.runtime.get(name);
    const error = this.broken.get(name);
    const v = this.rollups.views.find((x) => x.name === name && !x.hidden);
    if (!v && error === undefined) throw this.refuse(name, false);
    const status: ViewStatus =
      error !== undefined
        ? { status: 'failed', progress: 0, error }
        : (this.rollups.status(name) ?? { status: 'live', progress: 1 });
    const [count] = await this.conn.objects<{ n: number }>(
      `SELECT count(*)::BIGINT AS n FROM ${ROLLUP_TABLE} WHERE view = $name`,
      { name },
    );
    const stored = d ?? (error !== undefined ? await this.store.get('view', name) : undefined);
    return {
      name,
      origin: stored ? 'runtime' : 'file',
      ...(v && !stored ? { file: v.file } : {}),
      ...status,
      progress: Math.round(status.progress * 1000) / 1000,
      rows: Number(count?.n ?? 0),
      ...this.authorship(stored),
    };
  }

  async list(): Promise<ViewDescription[]> {
    const names = [
      ...this.rollups.views.filter((v) => !v.hidden).map((v) => v.name),
      ...[...this.broken.keys()].filter((n) => !this.runtime.has(n)),
    ];
    return Promise.all(names.map((n) => this.describe(n)));
  }

  /** The runtime view a listed view belongs to (itself, or the view of a hidden partial). */
  private ownerOf(name: string): string | undefined {
    const owner = name.endsWith('__partial') ? name.slice(0, -'__partial'.length) : name;
    return this.runtime.has(owner) ? owner : undefined;
  }

  private ownsPiece(name: string): boolean {
    return this.ownerOf(name) !== undefined;
  }

  private piecesOf(name: string): string[] {
    return this.rollups.views.filter((v) => this.ownerOf(v.name) === name).map((v) => v.name);
  }

  /** A view others are merged from keeps existing while they do (and keeps its window, for them). */
  private checkUnused(name: string, keep: readonly ViewDef[], replacement?: ViewDef): void {
    const users = keep.filter((v) => v.base === name).map((v) => v.name);
    if (users.length === 0) return;
    if (replacement && !replacement.base) return;
    throw new EngineError(
      'conflict',
      `view "${name}" is the base of ${users.join(', ')}; delete ${users.length > 1 ? 'those' : 'that view'} first`,
    );
  }

  /** Not the name of a table or of a SQL view of the database that is no view of ours. */
  private async checkNameFree(name: string): Promise<void> {
    const ours = new Set(this.rollups.views.map((v) => v.name));
    const taken = await this.conn.objects<{ name: string; kind: string }>(
      `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE schema_name = 'main' AND lower(table_name) IN ($a, $b)
       UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND lower(view_name) IN ($a, $b)`,
      { a: name, b: `${name}__partial` },
    );
    const clash = taken.find((t) => !ours.has(t.name) || t.kind === 'table');
    if (clash)
      throw new EngineError('conflict', `name: "${clash.name}" is the name of a ${clash.kind} of the database`);
  }

  private refuse(name: string, found = true): EngineError {
    return this.notRuntime(
      'view',
      name,
      found ? this.rollups.views.find((x) => x.name === name && !x.hidden)?.file : undefined,
      '/api/views',
    );
  }
}

/** A definition problem as the API answers it: 400 naming the line and the reason. */
function definitionError<T>(run: () => T): T;
function definitionError<T>(run: () => Promise<T>, text: string): Promise<T>;
function definitionError<T>(run: () => T | Promise<T>, text?: string): T | Promise<T> {
  try {
    const out = run();
    return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(asBadRequest(err, text))) : out;
  } catch (err) {
    throw asBadRequest(err, text);
  }
}

function asBadRequest(err: unknown, text?: string): unknown {
  // A query that does not run: DuckDB's "LINE n" counts the SELECT's own lines.
  return definitionProblem(err, text !== undefined ? (reason) => bodyLine(text, reason) : undefined);
}

/** A SQL problem found after the header: its line in the text the author sent. */
function atBody(err: unknown, text: string): unknown {
  if (!(err instanceof EngineError)) return err;
  const line = bodyLine(text, err.message);
  return new EngineError(err.code, `line ${line}: ${err.message}`, { details: { ...err.details, line } });
}

function bodyLine(text: string, message: string): number {
  const lines = text.split('\n');
  let first = readHeader(text, 'header').body;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const m = /LINE (\d+):/.exec(message);
  return first + (m ? Number(m[1]) : 1);
}
