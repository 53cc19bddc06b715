// Citizens' report events pushed through the real decoder and batcher into a store in memory, as the engine stores them.
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { bytes, feedback } from '../support/events.ts';

export interface StoredReports {
  store: Store;
  /** One event of a report: its id names the report, status and time, unless `over` says otherwise. */
  send(reportId: string, status: string, ts: number, over?: Record<string, unknown>): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function storedReports(): Promise<StoredReports> {
  const store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  const batcher = new Batcher(
    store.writer,
    { batchRows: 1000, batchAgeMs: 10 },
    () => undefined,
    createLogger('silent'),
  );
  let seq = 0;
  return {
    store,
    send(reportId, status, ts, over = {}) {
      const e = feedback(seq++, {
        id: `${reportId}-${status}-${ts}`,
        reportId,
        status,
        ts: new Date(ts).toISOString(),
        ...over,
      });
      const payload = bytes(e);
      const receivedAt = Date.now();
      batcher.push(
        { source: 'test', topic: `city/feedback/${String(e.channel)}`, payload, receivedAt, ack: () => undefined },
        decodeMessage('feedback', payload, receivedAt, {
          maxPayloadBytes: 1 << 20,
          maxFutureMs: 3_600_000,
          locate: () => 'hoan_kiem',
        }),
      );
    },
    flush: () => batcher.flush(),
    async close() {
      await batcher.close();
      await store.close();
    },
  };
}
