// One logged-in PostgreSQL client: its simple queries, and the extended protocol's prepared statements and portals,
// each statement answered by the engine itself (client chatter, psql's catalog) or run through the analysts' sandbox.
import { randomUUID } from 'node:crypto';
import type { BackendError } from 'pg-gateway';
import type { Role } from '../access/index.ts';
import type { Params } from '../db.ts';
import type { RunOptions, Sandbox } from '../query/index.ts';
import type { Backend, PgColumn } from './backend.ts';
import { catalogAnswer } from './catalog-answer.ts';
import { chatter, serverSettings, type Chatter } from './chatter.ts';
import { Cursor } from './cursor.ts';
import type { Frontend } from './frontend.ts';
import { PgError, toBackendError } from './sqlstate.ts';
import { pgType } from './types.ts';

export interface SessionPeer {
  backend: Backend;
  /** Writes messages, waiting while the client's socket is full. */
  write(messages: Buffer[]): Promise<void>;
  error(e: BackendError): void;
  ready(status: 'idle' | 'transaction'): void;
  /** Still allowed to query? (the token may have been revoked since login); a refusal ends the connection. */
  stillValid(): string | null;
  end(fatal?: BackendError): void;
}

export interface SessionOptions {
  sandbox: Sandbox;
  /** One of the token's SQL_PER_TOKEN slots for a statement, or a refusal; the answer gives it back. */
  take: () => () => void;
  who: string;
  role: Role;
  user: string;
  maxRows: number;
}

interface Statement {
  sql: string;
  paramTypes: number[];
}

interface Portal {
  statement: Statement;
  params: Params | undefined;
  answer: Chatter | Promise<Chatter | null> | null;
  cursor: Cursor | null;
  done: boolean;
}

/** What a statement turns out to be: answered here, or a query for the sandbox (then null). */
type Answer = Chatter | null;

export class Session {
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();
  private readonly settings: Map<string, string>;
  private inTransaction = false;
  /** After an error in the extended protocol, messages are skipped up to the next Sync, as PostgreSQL does. */
  private skipping = false;
  private running: { queryId: string } | null = null;

  constructor(
    private readonly opts: SessionOptions,
    private readonly peer: SessionPeer,
  ) {
    this.settings = serverSettings(opts.user);
  }

  /** A CancelRequest with this session's key: stops the statement running now, if any. */
  cancel(): void {
    if (this.running) this.opts.sandbox.cancel(this.running.queryId, this.opts.who, this.opts.role === 'admin');
  }

  /** The connection is gone: running statements stop and release their sandbox connections. */
  async close(): Promise<void> {
    this.cancel();
    await Promise.all([...this.portals.values()].map((p) => p.cursor?.close()));
    this.portals.clear();
  }

  async handle(msg: Frontend): Promise<void> {
    if (this.skipping && msg.type !== 'sync') return;
    try {
      await this.dispatch(msg);
    } catch (err) {
      this.peer.error(toBackendError(err));
      if (msg.type === 'query') this.peer.ready(this.status());
      else this.skipping = true;
    }
  }

  private status(): 'idle' | 'transaction' {
    return this.inTransaction ? 'transaction' : 'idle';
  }

  private async dispatch(msg: Frontend): Promise<void> {
    const b = this.peer.backend;
    switch (msg.type) {
      case 'query':
        await this.closePortal('');
        await this.simple(msg.sql);
        this.peer.ready(this.status());
        return;
      case 'parse':
        this.statements.set(msg.name, { sql: msg.sql, paramTypes: msg.paramTypes });
        await this.peer.write([b.parseComplete()]);
        return;
      case 'bind':
        await this.bind(msg);
        await this.peer.write([b.bindComplete()]);
        return;
      case 'describe':
        await (msg.what === 'statement' ? this.describeStatement(msg.name) : this.describePortal(msg.name));
        return;
      case 'execute':
        await this.execute(msg.portal, msg.maxRows);
        return;
      case 'close':
        if (msg.what === 'statement') this.statements.delete(msg.name);
        else await this.closePortal(msg.name);
        await this.peer.write([b.closeComplete()]);
        return;
      case 'sync':
        this.skipping = false;
        // Outside a transaction block every portal ends with its implicit transaction.
        if (!this.inTransaction) await this.closePortals();
        this.peer.ready(this.status());
        return;
      case 'flush':
        return;
      case 'terminate':
        this.peer.end();
        return;
      case 'other':
        throw new PgError(
          '0A000',
          `message type '${msg.code}' is not supported by this server (no COPY, no function calls)`,
        );
    }
  }

  /** Answers the engine gives itself, or null for the sandbox; checks first that the token still stands. */
  private async answerOf(sql: string): Promise<Answer> {
    const refused = this.peer.stillValid();
    if (refused !== null) {
      const fatal: BackendError = { severity: 'FATAL', code: '28P01', message: refused };
      this.peer.end(fatal);
      throw new PgError('28P01', refused);
    }
    return chatter(sql, this.settings) ?? (await catalogAnswer(sql, this.opts.sandbox, this.opts.role));
  }

  private runOptions(params?: Params): RunOptions & { queryId: string } {
    const o: RunOptions & { queryId: string } = { who: this.opts.who, role: this.opts.role, queryId: randomUUID() };
    if (params) o.params = params;
    return o;
  }

  private async simple(sql: string): Promise<void> {
    const b = this.peer.backend;
    const answer = await this.answerOf(sql);
    if (answer) {
      await this.peer.write(this.answered(answer, true));
      return;
    }
    const cursor = this.open(sql);
    try {
      const columns = await cursor.columns;
      await this.peer.write([b.rowDescription(columns)]);
      await this.finish(cursor, 0);
    } finally {
      await cursor.close();
      this.running = null;
    }
  }

  private open(sql: string, params?: Params): Cursor {
    const release = this.opts.take();
    const o = this.runOptions(params);
    this.running = { queryId: o.queryId };
    const cursor = new Cursor(this.opts.sandbox, sql, o, this.opts.maxRows, (cells) =>
      this.peer.backend.dataRow(cells),
    );
    // A portal read in slices holds its slot until it is done or closed, as its sandbox connection is held.
    void cursor.finished.finally(release);
    return cursor;
  }

  /** Streams up to `maxRows` rows; PortalSuspended when more remain, else the completion (and a notice if capped). */
  private async finish(cursor: Cursor, maxRows: number): Promise<boolean> {
    const b = this.peer.backend;
    const fetched = await cursor.fetch(maxRows, (rows) => this.peer.write(rows));
    if (!fetched.done) {
      await this.peer.write([b.portalSuspended()]);
      return false;
    }
    const tail: Buffer[] = [];
    if (cursor.staleAsOf !== null)
      tail.push(
        b.notice(
          '01000',
          `the analysts' copy of the data was catching up: this answer is as of ${new Date(cursor.staleAsOf).toISOString()}`,
        ),
      );
    if (fetched.capped)
      tail.push(
        b.notice(
          '01000',
          `the result was cut at ${this.opts.maxRows.toLocaleString('en-US')} rows (PG_MAX_ROWS); filter or aggregate it, or fetch it as Arrow from POST /api/sql?format=arrow`,
        ),
      );
    tail.push(b.commandComplete(`SELECT ${fetched.rows}`));
    await this.peer.write(tail);
    return true;
  }

  /** The messages of an answer the engine gives itself; `describe`: with its RowDescription (simple protocol). */
  private answered(answer: Chatter, describe: boolean): Buffer[] {
    const b = this.peer.backend;
    switch (answer.type) {
      case 'empty':
        return [b.emptyQuery()];
      case 'command':
        if (answer.transaction === 'begin') this.inTransaction = true;
        if (answer.transaction === 'end') {
          this.inTransaction = false;
          void this.closePortals();
        }
        return [b.commandComplete(answer.tag)];
      case 'deallocate':
        if (answer.name === null) this.statements.clear();
        else this.statements.delete(answer.name);
        return [b.commandComplete('DEALLOCATE')];
      case 'rows':
        return [
          ...(describe ? [b.rowDescription(answer.columns)] : []),
          ...answer.rows.map((row) => b.dataRow(row)),
          b.commandComplete(`SELECT ${answer.rows.length}`),
        ];
    }
  }

  private async bind(msg: Extract<Frontend, { type: 'bind' }>): Promise<void> {
    const statement = this.statements.get(msg.statement);
    if (!statement)
      throw new PgError('26000', `prepared statement "${msg.statement}" does not exist; send Parse first`);
    let params: Params | undefined;
    if (msg.params.length > 0) {
      params = {};
      for (let i = 0; i < msg.params.length; i++) {
        const format = msg.paramFormats.length === 1 ? msg.paramFormats[0] : (msg.paramFormats[i] ?? 0);
        if (format !== 0)
          throw new PgError('0A000', `parameter $${i + 1} is in binary format; this server takes parameters as text`);
        const value = msg.params[i];
        params[String(i + 1)] = value === null || value === undefined ? null : value.toString('utf8');
      }
    }
    await this.closePortal(msg.portal);
    this.portals.set(msg.portal, { statement, params, answer: null, cursor: null, done: false });
  }

  private portal(name: string): Portal {
    const portal = this.portals.get(name);
    if (!portal) throw new PgError('34000', `portal "${name}" does not exist; send Bind first`);
    return portal;
  }

  /** A portal's answer is worked out once: a SET in it takes effect once, however many times it is described. */
  private async portalAnswer(portal: Portal): Promise<Answer> {
    portal.answer ??= this.answerOf(portal.statement.sql);
    return portal.answer;
  }

  private async describeStatement(name: string): Promise<void> {
    const b = this.peer.backend;
    const statement = this.statements.get(name);
    if (!statement) throw new PgError('26000', `prepared statement "${name}" does not exist`);
    const answer = chatter(statement.sql, new Map(this.settings));
    if (answer) {
      await this.peer.write([b.parameterDescription([]), this.rowsOrNothing(answer)]);
      return;
    }
    const caught = await catalogAnswer(statement.sql, this.opts.sandbox, this.opts.role);
    if (caught) {
      await this.peer.write([b.parameterDescription([]), this.rowsOrNothing(caught)]);
      return;
    }
    const described = await this.opts.sandbox.describe(statement.sql, this.runOptions());
    const oids = described.params.map((t, i) => statement.paramTypes[i] || pgType(t).oid);
    const columns: PgColumn[] = described.columns.map((c) => ({ name: c.name, type: pgType(c.type) }));
    await this.peer.write([b.parameterDescription(oids), columns.length > 0 ? b.rowDescription(columns) : b.noData()]);
  }

  private rowsOrNothing(answer: Chatter): Buffer {
    return answer.type === 'rows' ? this.peer.backend.rowDescription(answer.columns) : this.peer.backend.noData();
  }

  private async describePortal(name: string): Promise<void> {
    const portal = this.portal(name);
    const answer = await this.portalAnswer(portal);
    if (answer) {
      await this.peer.write([this.rowsOrNothing(answer)]);
      return;
    }
    // The statement starts here: its columns are known once DuckDB has it running, and Execute reads on from there.
    portal.cursor ??= this.open(portal.statement.sql, portal.params);
    await this.peer.write([this.peer.backend.rowDescription(await portal.cursor.columns)]);
  }

  private async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.portal(name);
    if (portal.done) {
      await this.peer.write([this.peer.backend.commandComplete('SELECT 0')]);
      return;
    }
    const answer = await this.portalAnswer(portal);
    if (answer) {
      portal.done = true;
      await this.peer.write(this.answered(answer, false));
      return;
    }
    portal.cursor ??= this.open(portal.statement.sql, portal.params);
    await portal.cursor.columns;
    portal.done = await this.finish(portal.cursor, maxRows);
    if (portal.done) {
      await portal.cursor.close();
      this.running = null;
    }
  }

  private async closePortal(name: string): Promise<void> {
    const portal = this.portals.get(name);
    this.portals.delete(name);
    await portal?.cursor?.close();
  }

  private async closePortals(): Promise<void> {
    const all = [...this.portals.keys()];
    for (const name of all) await this.closePortal(name);
  }
}
