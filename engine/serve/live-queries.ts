// Saved queries promoted to the wall: re-run on each tick while a wall listens, pushed on the socket.io namespace /queries.
import type { Server } from 'socket.io';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Sandbox, StoredQuery } from '../query/index.ts';
import type { TileResult } from '../../dashboards/shared/wire/index.ts';

/** A tile shows a headline or a few rows; more is never sent. */
export const TILE_ROWS = 20;
export const NAMESPACE = '/queries';

export class LiveQueries {
  private readonly last = new Map<string, { json: string; result: TileResult }>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly io: Server,
    private readonly log: Logger,
  ) {
    const nsp = io.of(NAMESPACE);
    // A wall that connects gets every tile at once, then only the changes.
    nsp.on('connection', (socket) => {
      socket.emit('queries', { names: [...this.last.keys()] });
      for (const { result } of this.last.values()) socket.emit('query', result);
      void this.tick();
    });
  }

  /** One refresh of every promoted query; ticks never overlap, and nothing runs while no wall listens. */
  tick(): Promise<void> {
    if (this.io.of(NAMESPACE).sockets.size === 0) return Promise.resolve();
    this.running ??= this.refresh().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refresh(): Promise<void> {
    let promoted: StoredQuery[];
    try {
      promoted = await this.sandbox.saved.list({ wall: true });
    } catch (err) {
      this.log.warn('cannot list the wall queries', { err });
      return;
    }
    const names = promoted.map((q) => q.name);
    const gone = [...this.last.keys()].filter((n) => !names.includes(n));
    for (const n of gone) this.last.delete(n);
    const nsp = this.io.of(NAMESPACE);
    if (gone.length > 0 || names.some((n) => !this.last.has(n))) nsp.emit('queries', { names });
    for (const q of promoted) {
      const params = Object.fromEntries(q.params.map((p) => [p.name, p.default]));
      let result: TileResult;
      try {
        // The engine's own schedule, not an analyst: not audited, few rows, same limits otherwise. Every wall role
        // sees the tile, so it reads what an operator may.
        const answer = await this.sandbox.run(q.sql, {
          params,
          maxRows: TILE_ROWS,
          audit: false,
          who: 'wall',
          role: 'operator',
        });
        result = {
          name: q.name,
          title: q.title,
          unit: q.unit,
          columns: answer.columns,
          rows: answer.rows,
          at: new Date().toISOString(),
          error: null,
        };
      } catch (err) {
        result = {
          name: q.name,
          title: q.title,
          unit: q.unit,
          columns: [],
          rows: [],
          at: new Date().toISOString(),
          error: errorMessage(err),
        };
      }
      const json = JSON.stringify([result.title, result.unit, result.columns, result.rows, result.error]);
      if (this.last.get(q.name)?.json === json) continue;
      this.last.set(q.name, { json, result });
      nsp.emit('query', result);
    }
  }
}
