// Runs retention at start-up and then hourly, on a connection of its own so it never interleaves with a batch.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from './open.ts';
import { runRetention, type RetentionReport } from './retention.ts';

const EVERY_MS = 3_600_000;

export async function startRetention(
  store: Store,
  rollupTables: readonly string[],
  config: Config,
  log: Logger,
  onPruned: (p: RetentionReport['pruned'][number]) => void = () => undefined,
): Promise<{ stop(): Promise<void> }> {
  const conn = await store.db.connect();
  let running: Promise<void> | null = null;
  const run = (): void => {
    running ??= runRetention(conn, rollupTables, {
      rawDays: config.retainRawDays,
      rollupDays: config.retainRollupDays,
      archiveDir: config.archiveRaw ? store.archiveDir : null,
    })
      .then((r) => {
        for (const p of r.pruned) onPruned(p);
        if (Object.keys(r.deletedRows).length)
          log.info('retention: archived and deleted old rows', {
            archivedFiles: r.archivedFiles,
            deletedRows: r.deletedRows,
            cutoff: r.cutoff,
          });
      })
      .catch((err) => log.error('retention failed; it runs again within the hour', { err }))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      conn.close();
    },
  };
}
