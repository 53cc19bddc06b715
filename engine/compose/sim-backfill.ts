// A fresh engine with the simulator starts with a city that has a past: the last hours of simulated events are
// written through the same decode and bulk append as live ones before the simulator goes live, so the VN_AQI (which
// needs hours of PM2.5), every trend, the playback and yesterday's briefing have data within seconds.
import type { RawMessage } from '../../sources/source.ts';
import { createSimulator, type SimArea } from '../../sources/simulate/index.ts';
import type { Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS } from '../schema/index.ts';

/**
 * Events per second of the history: each of the default 500 devices reports about every 100 s. The history needs the
 * day's shape (rush hours, rain, smog), not every report a live rate would send.
 */
export const BACKFILL_RATE = 5;
/** Events generated and handed over at a time: memory stays bounded. */
const SLICE_S = 600;
/** Rows per commit of the history: each commit has a fixed cost (dedup, registers), so few large ones. */
export const BACKFILL_BATCH_ROWS = 200_000;

export async function databaseIsEmpty(conn: Connection): Promise<boolean> {
  const rows = await conn.objects<{ any: boolean }>(
    `SELECT ${FAMILIES.map((f) => `EXISTS (SELECT 1 FROM ${FAMILY_DEFS[f].table})`).join(' OR ')} AS any`,
  );
  return rows[0]?.any === false;
}

/** Writes `hours` of simulated events ending at `now`; answers how many messages were handed to ingestion. */
export async function backfillSimulated(opts: {
  areas: readonly SimArea[];
  seed: number;
  hours: number;
  now: number;
  ingest(msg: RawMessage): unknown;
  /** Commits what ingestion holds (called at the end). */
  flush(): Promise<void>;
}): Promise<number> {
  const sim = createSimulator({ areas: opts.areas, rate: BACKFILL_RATE, seed: opts.seed });
  const ack = (): void => undefined;
  const end = opts.now - 1_000;
  let sent = 0;
  for (let t = end - opts.hours * 3_600_000; t < end; t += SLICE_S * 1000) {
    const count = Math.floor((Math.min(SLICE_S * 1000, end - t) / 1000) * BACKFILL_RATE);
    const messages = sim.generate(count, t);
    messages.forEach((m, k) => {
      // Received as it happened: the data-quality view sees a live history, not one a day late.
      const receivedAt = t + Math.floor((k * 1000) / BACKFILL_RATE) + 150;
      opts.ingest({ source: 'simulate', topic: m.topic, payload: m.payload, receivedAt, ack });
    });
    sent += messages.length;
    // Lets the batcher's own commits (at its batch size) run between slices.
    await new Promise((r) => setImmediate(r));
  }
  await opts.flush();
  return sent;
}
