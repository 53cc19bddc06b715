// Every view file against its hand-computed golden result: test/views/golden/<theme>/<name>.json for
// views/<theme>/<name>.sql holds a few events, the setup a view needs (reference rows), and the rows its rollup must
// hold once they are refreshed. Views are found by file name: a new view needs its golden file and nothing else.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { FAMILIES } from '../../engine/schema/index.ts';
import { hanoiMidnight } from '../../engine/sql/index.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { DEFAULT_VIEWS_DIR, loadViews, parseDuration, Rollups, type ViewDef } from '../../engine/views/index.ts';
import { bytes, eventOf } from '../support/events.ts';

const GOLDEN_DIR = 'test/views/golden';
const log = createLogger('silent');

/**
 * An instant: ISO text, or relative to the test's clock for views that read now() ("now", "now-2h", "now+30d"),
 * or "today" for the Hanoi midnight that starts the current day.
 */
const Instant = z.string().transform((s, ctx) => {
  const rel = /^now(?:([+-])(\w+))?$/.exec(s);
  const ms =
    s === 'today'
      ? hanoiMidnight(Date.now())
      : rel
        ? Date.now() + (rel[2] ? (rel[1] === '-' ? -1 : 1) * (parseDuration(rel[2]) ?? Number.NaN) : 0)
        : Date.parse(s);
  if (!Number.isFinite(ms)) ctx.addIssue({ code: 'custom', message: `not an instant: ${s}` });
  return ms;
});

const Golden = z.strictObject({
  /** What the case shows, and the hand computation behind each expected row. */
  about: z.array(z.string()).min(1),
  /** SQL run before any event arrives, e.g. reference rows a view joins. */
  setup: z.array(z.string()).default([]),
  /**
   * Wire events, built over the defaults of test/support/events.ts: give every field the view reads. `receivedAt`
   * (default: the event's own time) is when the engine got it, which decides `late`.
   */
  events: z
    .array(
      z.strictObject({
        family: z.enum(FAMILIES),
        kind: z.string().optional(),
        receivedAt: Instant.optional(),
        event: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
  /** Every row of the view's rollup, in any order; `through` repeats a row for each window from `t` to it. */
  expected: z.array(
    z.strictObject({
      t: Instant,
      through: Instant.optional(),
      area: z.string(),
      value: z.number().nullable(),
      n: z.number(),
      sources: z.number().nullable(),
      late: z.number(),
    }),
  ),
});

/** The view files, as loadViews finds them: every .sql outside the folders starting with "_". */
function viewFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return entry.startsWith('_') ? [] : viewFiles(path);
      return entry.endsWith('.sql') ? [path] : [];
    });
}
const goldenOf = (file: string): string =>
  join(GOLDEN_DIR, relative(DEFAULT_VIEWS_DIR, file).replace(/\.sql$/, '.json'));
const goldenFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? goldenFiles(path) : [path];
    });

const views = loadViews();
const byFile = new Map(views.filter((v) => !v.hidden).map((v) => [v.file, v]));
const byName = new Map(views.map((v) => [v.name, v]));
const files = viewFiles(DEFAULT_VIEWS_DIR);

/** The view and what its refresh reads: its base, if it is merged from one. */
const withBase = (v: ViewDef): ViewDef[] => (v.base ? [byName.get(v.base)!, v] : [v]);

type GoldenEvent = z.infer<typeof Golden>['events'][number];
type Row = Omit<z.infer<typeof Golden>['expected'][number], 'through'>;

/** The wire event, over the test defaults; relative times ("now+1h") in any field, e.g. a due time, become instants. */
function wireEvent({ family, kind, event }: GoldenEvent, i: number): Record<string, unknown> {
  const over = Object.fromEntries(
    Object.entries(event).map(([k, x]) => [
      k,
      typeof x === 'string' && (k === 'ts' || x.startsWith('now')) ? new Date(Instant.parse(x)).toISOString() : x,
    ]),
  );
  return eventOf(family, i, over, kind);
}

/** The expected rows, each `through` run spelt out window by window, in the order the rollup is read. */
function expectedRows(g: z.infer<typeof Golden>, windowMs: number): Row[] {
  return g.expected
    .flatMap(({ through, ...r }) => {
      const out = [r];
      for (let t = r.t + windowMs; through !== undefined && t <= through; t += windowMs) out.push({ ...r, t });
      return out;
    })
    .sort((a, b) => a.t - b.t || (a.area < b.area ? -1 : a.area > b.area ? 1 : 0));
}
const label = (r: { t: number; area: string }) => `${new Date(r.t).toISOString()} ${r.area}`;

const stores = new Set<Store>();
afterAll(async () => {
  for (const s of stores) await s.close();
});

describe('golden results', () => {
  it('exist for every view file, and only for view files', () => {
    const missing = files.map(goldenOf).filter((g) => !existsSync(g));
    expect(missing, `add a hand-computed golden result for each view: ${missing.join(', ')}`).toEqual([]);
    const wanted = new Set(files.map(goldenOf));
    const stray = goldenFiles(GOLDEN_DIR).filter((g) => !wanted.has(g));
    expect(stray, 'golden files without a view file').toEqual([]);
  });

  for (const file of files) {
    const golden = goldenOf(file);
    it(`${relative(DEFAULT_VIEWS_DIR, file)} equals ${golden}`, async () => {
      const v = byFile.get(relative(process.cwd(), file));
      if (!v) throw new Error(`${file} is not loaded as a view`);
      if (!existsSync(golden)) throw new Error(`no golden result: add ${golden}, a few events and the rows they give`);
      const g = Golden.parse(JSON.parse(readFileSync(golden, 'utf8')));
      const store = await openStore({ dataDir: '.', dbFile: ':memory:' });
      stores.add(store);
      try {
        const rollups = new Rollups(await store.db.connect(), withBase(v), log);
        await rollups.init();
        // After init, which installs the reference tables the setup adds to.
        for (const sql of g.setup) await store.writer.run(sql);
        const batcher = new Batcher(
          store.writer,
          { batchRows: 10_000, batchAgeMs: 60_000 },
          (c) => {
            rollups.onCommit(c);
          },
          log,
        );
        g.events.forEach((ge, i) => {
          const payload = bytes(wireEvent(ge, i));
          const at = ge.receivedAt ?? Instant.parse(ge.event.ts);
          const limits = { maxPayloadBytes: 1 << 20, maxFutureMs: 86_400_000, locate: () => null };
          const topic = `city/${ge.family}/x`;
          const message = { source: 'test', topic, payload, receivedAt: at, ack: () => undefined };
          batcher.push(message, decodeMessage(ge.family, payload, at, limits));
        });
        await batcher.close();
        await rollups.tick();

        const rows = await store.reader.objects<Row>(
          `SELECT epoch_ms(t) AS t, area, value, n, sources, late FROM ${v.name} ORDER BY t, area`,
        );
        const expected = expectedRows(g, v.windowMs);
        expect(rows.map(label), 'windows and areas').toEqual(expected.map(label));
        rows.forEach((r, i) => {
          const e = expected[i]!;
          expect([r.n, r.sources, r.late], `${label(r)}: n, sources, late`).toEqual([e.n, e.sources, e.late]);
          if (e.value === null) expect(r.value, `${label(r)}: value`).toBeNull();
          else expect(r.value, `${label(r)}: value`).toBeCloseTo(e.value, 6);
        });
      } finally {
        stores.delete(store);
        await store.close();
      }
    });
  }
});
