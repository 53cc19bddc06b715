// Dossier state folded from lifecycle events in any arrival order, and the overdue count read from it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { loadViews, Rollups } from '../../engine/views/index.ts';
import { bytes, service } from '../support/events.ts';

const log = createLogger('silent');
const H = 3_600_000;
const NOW = Date.now();
let store: Store;
let batcher: Batcher;
let seq = 0;

function send(dossierId: string, status: string, ts: number, over: Record<string, unknown> = {}): void {
  const e = service(seq++, {
    id: `${dossierId}-${status}-${ts}`,
    dossierId,
    status,
    ts: new Date(ts).toISOString(),
    ...over,
  });
  const payload = bytes(e);
  batcher.push(
    { source: 'test', topic: 'city/service/x', payload, receivedAt: NOW, ack: () => undefined },
    decodeMessage('service', payload, NOW, { maxPayloadBytes: 1 << 20, maxFutureMs: H, locate: () => null }),
  );
}

beforeEach(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  batcher = new Batcher(store.writer, { batchRows: 1000, batchAgeMs: 10 }, () => undefined, log);
});
afterEach(async () => {
  await batcher.close();
  await store.close();
});

describe('dossiers', () => {
  it('keeps the newest status by event time, whatever the arrival order, and the first receipt and due date', async () => {
    send('HS-1', 'completed', NOW - 1 * H, { dueAt: undefined });
    await batcher.flush();
    send('HS-1', 'received', NOW - 30 * H, { channel: 'online', dueAt: new Date(NOW - 2 * H).toISOString() });
    send('HS-1', 'processing', NOW - 20 * H, { dueAt: undefined });
    await batcher.flush();
    const [d] = await store.reader.objects(
      `SELECT status, epoch_ms(received_at) AS received, epoch_ms(due_at) AS due, epoch_ms(completed_at) AS done, channel FROM dossiers`,
    );
    expect(d).toEqual({
      status: 'completed',
      received: NOW - 30 * H,
      due: NOW - 2 * H,
      done: NOW - 1 * H,
      channel: 'online',
    });
  });

  it('service_overdue counts open dossiers past due, not those waiting for a supplement, and moves with the clock', async () => {
    const due = (h: number) => ({ dueAt: new Date(NOW + h * H).toISOString(), area: 'hoan_kiem' });
    send('A', 'received', NOW - 50 * H, due(-1)); // overdue
    send('B', 'processing', NOW - 50 * H, due(-5)); // overdue
    send('C', 'supplement_requested', NOW - 50 * H, due(-5)); // clock stopped
    send('D', 'received', NOW - 5 * H, due(+48)); // not yet due
    send('E', 'received', NOW - 50 * H, due(-3));
    send('E', 'completed', NOW - 4 * H, due(-3)); // done
    await batcher.flush();
    const views = loadViews().filter((v) => v.name === 'service_overdue');
    const rollups = new Rollups(await store.db.connect(), views, log);
    await rollups.init();
    await rollups.tick();
    const rows = await store.reader.objects<{ area: string; value: number; n: number }>(
      `SELECT area, value, n FROM service_overdue ORDER BY area`,
    );
    expect(rows).toEqual([
      { area: 'hanoi', value: 2, n: 4 },
      { area: 'hoan_kiem', value: 2, n: 4 },
    ]);
    // No new events: the next tick still refreshes today's count (a snapshot moves with the clock).
    await store.writer.run(`UPDATE dossiers SET due_at = now() - INTERVAL 1 MINUTE WHERE dossier_id = 'D'`);
    await rollups.tick();
    expect(
      (await store.reader.objects<{ value: number }>(`SELECT value FROM service_overdue WHERE area = 'hanoi'`))[0]!
        .value,
    ).toBe(3);
  });

  it('service_due_soon counts open dossiers due within 2 working days on the holiday calendar', async () => {
    send('F', 'received', NOW - H, { dueAt: new Date(NOW + 3 * H).toISOString(), area: 'ba_dinh' });
    send('G', 'received', NOW - H, { dueAt: new Date(NOW + 30 * 24 * H).toISOString(), area: 'ba_dinh' });
    await batcher.flush();
    const rollups = new Rollups(
      await store.db.connect(),
      loadViews().filter((v) => v.name === 'service_due_soon'),
      log,
    );
    await rollups.init();
    await rollups.tick();
    const [row] = await store.reader.objects<{ value: number; n: number }>(
      `SELECT value, n FROM service_due_soon WHERE area = 'ba_dinh'`,
    );
    expect(row).toEqual({ value: 1, n: 2 });
  });
});
