// The tick loop: a commit's request starts a tick at once, requests meanwhile coalesce into one more, the gap holds.
import { afterEach, describe, expect, it } from 'vitest';
import { TickLoop } from '../../engine/tick-loop.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let loop: TickLoop | null = null;
afterEach(async () => {
  await loop?.stop();
  loop = null;
});

function recorder(tickMs: number) {
  const starts: number[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const run = async () => {
    starts.push(Date.now());
    maxConcurrent = Math.max(maxConcurrent, ++concurrent);
    await sleep(tickMs);
    concurrent--;
  };
  return { starts, run, max: () => maxConcurrent };
}

describe('tick loop', () => {
  it('starts a tick on request without waiting for the period', async () => {
    const r = recorder(5);
    loop = new TickLoop(r.run, { periodMs: 60_000, minGapMs: 0 }, () => undefined);
    const asked = Date.now();
    loop.request();
    await sleep(20);
    expect(r.starts).toHaveLength(1);
    expect(r.starts[0]! - asked).toBeLessThan(15);
  });

  it('never runs two at once, and folds the requests made during a tick into one more', async () => {
    const r = recorder(60);
    loop = new TickLoop(r.run, { periodMs: 60_000, minGapMs: 0 }, () => undefined);
    loop.request();
    for (let i = 0; i < 10; i++) {
      await sleep(3);
      loop.request();
    }
    await sleep(200);
    expect(r.starts).toHaveLength(2);
    expect(r.max()).toBe(1);
  });

  it('keeps the minimum gap between starts, and still ticks once a period with no request', async () => {
    const r = recorder(1);
    loop = new TickLoop(r.run, { periodMs: 120, minGapMs: 80 }, () => undefined);
    loop.request();
    await sleep(5);
    loop.request();
    loop.request();
    await sleep(300);
    const gaps = r.starts.slice(1).map((t, i) => t - r.starts[i]!);
    expect(r.starts.length).toBeGreaterThanOrEqual(3);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(75);
  });

  it('reports a failed tick and goes on', async () => {
    const errors: unknown[] = [];
    let n = 0;
    loop = new TickLoop(
      async () => {
        if (n++ === 0) throw new Error('boom');
      },
      { periodMs: 60_000, minGapMs: 0 },
      (e) => errors.push(e),
    );
    loop.request();
    await sleep(10);
    await loop.now();
    expect(errors).toHaveLength(1);
    expect(n).toBe(2);
  });
});
