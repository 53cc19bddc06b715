// Security incidents and citizens' reports folded from their lifecycle events: the same state whatever the arrival
// order, the batches, and the repeats a broker redelivers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { bytes, eventOf } from '../support/events.ts';

const log = createLogger('silent');
const H = 3_600_000;
const NOW = Date.now();
let store: Store;
let batcher: Batcher;
let seq = 0;

function send(family: 'security' | 'feedback', over: Record<string, unknown>, ts: number): void {
  const e = eventOf(family, seq++, { ...over, ts: new Date(ts).toISOString() });
  const payload = bytes(e);
  batcher.push(
    { source: 'test', topic: `city/${family}/x`, payload, receivedAt: NOW, ack: () => undefined },
    decodeMessage(family, payload, NOW, { maxPayloadBytes: 1 << 20, maxFutureMs: H, locate: () => null }),
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

const ms = (c: string) => `epoch_ms(${c}) AS ${c}`;

describe('security incidents', () => {
  it('keep each stage at its first report and the newest status, in any order and across batches', async () => {
    const inc = (status: string, ts: number, over: Record<string, unknown> = {}) =>
      send('security', { id: `I1-${status}`, incidentId: 'I1', status, detectedAt: undefined, ...over }, ts);
    inc('resolved', NOW - 1 * H, { severity: 'critical' });
    await batcher.flush();
    inc('confirmed', NOW - 5 * H);
    inc('detected', NOW - 6 * H, { detectedAt: new Date(NOW - 7 * H).toISOString(), severity: 'medium' });
    await batcher.flush();
    // A redelivered confirmation and a stray later one change nothing but what is newer.
    inc('confirmed', NOW - 5 * H);
    await batcher.flush();
    const rows = await store.reader.objects(
      `SELECT status, severity, ${['began_at', 'detected_at', 'confirmed_at', 'resolved_at'].map(ms).join(', ')} FROM security_incidents`,
    );
    expect(rows).toEqual([
      {
        status: 'resolved',
        severity: 'critical',
        began_at: NOW - 7 * H,
        detected_at: NOW - 6 * H,
        confirmed_at: NOW - 5 * H,
        resolved_at: NOW - 1 * H,
      },
    ]);
    const [stored] = await store.reader.objects<{ n: number }>('SELECT count(*)::INTEGER AS n FROM security_events');
    expect(stored?.n).toBe(3);
  });

  it('leave no trace in the open source registers', async () => {
    send('security', { incidentId: 'I2' }, NOW - H);
    send('feedback', { reportId: 'P1' }, NOW - H);
    await batcher.flush();
    const families = await store.reader.objects<{ family: string }>(
      'SELECT DISTINCT family FROM devices UNION SELECT DISTINCT family FROM device_days ORDER BY 1',
    );
    expect(families.map((r) => r.family)).toEqual(['feedback']);
  });
});

describe('feedback reports', () => {
  it('keep the first receipt, the latest resolution and reopening, and the rating, whatever the order', async () => {
    const rep = (status: string, ts: number, over: Record<string, unknown> = {}) =>
      send('feedback', { id: `P9-${status}-${ts}`, reportId: 'P9', status, dueAt: undefined, ...over }, ts);
    rep('resolved', NOW - 2 * H, { rating: 4 });
    rep('reopened', NOW - 3 * H);
    await batcher.flush();
    rep('received', NOW - 30 * H, { channel: 'hotline', dueAt: new Date(NOW - 6 * H).toISOString() });
    rep('resolved', NOW - 4 * H, { channel: 'web' });
    rep('resolved', NOW - 2 * H, { rating: 4 });
    await batcher.flush();
    const [r] = await store.reader.objects(
      `SELECT status, channel, rating, ${['received_at', 'due_at', 'resolved_at', 'reopened_at'].map(ms).join(', ')} FROM feedback_reports`,
    );
    expect(r).toEqual({
      status: 'resolved',
      channel: 'hotline',
      rating: 4,
      received_at: NOW - 30 * H,
      due_at: NOW - 6 * H,
      resolved_at: NOW - 2 * H,
      reopened_at: NOW - 3 * H,
    });
  });
});
