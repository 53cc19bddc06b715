// `ioc replay`: reads NDJSON or CSV files and sends their events to MQTT, NATS or the engine's HTTP ingest, paced by
// event time and a rate cap, with a progress line on stderr.
import { readEvents, type ReplayFamily } from './read.ts';
import { eventTime, Pacer, type PaceOptions } from './pace.ts';
import { openTarget } from './open-target.ts';
import type { TargetReport } from './target.ts';

export interface ReplayOptions extends PaceOptions {
  files: string[];
  /** mqtt://…, nats://… or http://… (the engine). */
  to: string;
  family?: ReplayFamily;
  /** HTTP only: a bearer token for an engine with AUTH on. */
  token?: string | undefined;
  /** Where the progress line goes. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ReplaySummary extends TargetReport {
  skipped: { file: string; line: number; reason: string }[];
  seconds: number;
}

const PROGRESS_MS = 500;

export async function replay(opts: ReplayOptions): Promise<ReplaySummary> {
  const target = await openTarget(opts.to, { token: opts.token });
  const out = opts.progress ?? process.stderr;
  const pacer = new Pacer(opts);
  const started = performance.now();
  const skipped: ReplaySummary['skipped'] = [];
  let count = 0;
  let lastTs = Number.NaN;
  let file = '';
  let shown = 0;
  const line = (final: boolean): void => {
    const s = (performance.now() - started) / 1000;
    const text =
      `replay → ${target.label}: ${count.toLocaleString('en')} events (${Math.round(count / Math.max(s, 0.001)).toLocaleString('en')}/s)` +
      `${skipped.length ? `, ${skipped.length} skipped` : ''}${Number.isFinite(lastTs) ? `, event time ${new Date(lastTs).toISOString().slice(0, 19)}Z` : ''}${final ? '' : `  ${file}`}`;
    out.write(out.isTTY ? `\r\x1b[2K${text}${final ? '\n' : ''}` : `${text}\n`);
  };
  try {
    for (file of opts.files) {
      for await (const item of readEvents(file, opts.family)) {
        if ('skipped' in item) {
          skipped.push({ file, line: item.line, reason: item.skipped });
          continue;
        }
        const ts = eventTime(item.event.ts);
        const wait = pacer.delayFor(ts);
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        await target.send(item.family, item.event);
        count++;
        if (Number.isFinite(ts)) lastTs = ts;
        if (performance.now() - shown > PROGRESS_MS) {
          shown = performance.now();
          line(false);
        }
      }
    }
    const report = await target.finish();
    line(true);
    return { ...report, skipped, seconds: (performance.now() - started) / 1000 };
  } finally {
    await target.close();
  }
}
