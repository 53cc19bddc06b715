// Benchmark: rendering the daily briefing's PDF (briefing.pdf_ms, the morning email's work) from a seeded day's
// briefing, and the whole GET /api/briefing/pdf (reading the rollups too); median and p95 of a few runs each.
import { parseArgs } from 'node:util';
import { renderBriefingPdf } from '../engine/briefing/index.ts';
import { briefingSchema } from '../dashboards/shared/wire/index.ts';
import { hanoiYesterday, loadBriefingDay } from '../test/support/briefing-day.ts';
import { startTestEngine } from '../test/support/engine.ts';
import { quantile, round } from './lib/stats.ts';
import { report } from './report.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, quick: { type: 'boolean', default: false } },
});
const RUNS = values.quick ? 5 : Number(values.runs);

const engine = await startTestEngine();
try {
  const date = hanoiYesterday();
  await loadBriefingDay(engine, date);
  const briefing = briefingSchema.parse((await engine.get(`/api/briefing?date=${date}`)).body);
  // The first render loads and parses the fonts; the morning's is the same, once a day, so it is left out.
  let bytes = (await renderBriefingPdf(briefing, 'vi')).byteLength;
  const render: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = (await renderBriefingPdf(briefing, 'vi')).byteLength;
    render.push(performance.now() - t0);
  }
  const http: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${engine.url}/api/briefing/pdf?date=${date}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET /api/briefing/pdf answered ${res.status}`);
    http.push(performance.now() - t0);
  }
  const details = (ms: number[]) => ({
    runs: ms.length,
    'p95 ms': round(quantile(ms, 0.95)),
    KiB: round(bytes / 1024),
  });
  await report('briefing', [
    { name: 'briefing.pdf_ms', unit: 'ms', value: round(quantile(render, 0.5)), details: details(render) },
    {
      name: 'briefing.pdf_http_ms',
      unit: 'ms',
      value: round(quantile(http, 0.5)),
      baseline: 'briefing.pdf_ms',
      details: details(http),
    },
  ]);
} finally {
  await engine.dispose();
}
