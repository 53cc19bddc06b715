// A quick chart of the result on a canvas: lines over a time or number axis (one per category when there is one), or bars.
import { DataType, type Table } from 'apache-arrow';
import { formatCell, isNumeric, isTime, numberOf } from './format.ts';

export type ChartKind = 'line' | 'bar';
const PALETTE = ['#4cc2ff', '#f5b041', '#34d399', '#b39cff', '#ef4444', '#38d0e0', '#fb7185', '#a3e635'];
const MAX_SERIES = 8;
const MAX_BARS = 60;

interface Series {
  name: string;
  points: [number, number][];
}

/** Which columns to draw: x is the first column; y the numeric ones after it; a text column splits a single y into series. */
function chartSeries(
  table: Table,
  kind: ChartKind,
): { series: Series[]; xTime: boolean; labels: string[] | null } | null {
  const fields = table.schema.fields;
  if (fields.length === 0 || table.numRows === 0) return null;
  const x = fields[0]!;
  let ys = fields
    .map((f, i) => ({ f, i }))
    .filter(({ f, i }) => i > 0 && isNumeric(f.type))
    .slice(0, MAX_SERIES);
  let useIndex = false;
  if (ys.length === 0 && isNumeric(x.type)) {
    ys = [{ f: x, i: 0 }];
    useIndex = true;
  }
  if (ys.length === 0) return null;
  const xCol = table.getChildAt(0)!;
  const xAxisNumeric = !useIndex && (isNumeric(x.type) || isTime(x.type));
  if (kind === 'bar' || !xAxisNumeric) {
    const n = Math.min(table.numRows, MAX_BARS);
    const labels = Array.from({ length: n }, (_, r) => (useIndex ? String(r + 1) : formatCell(xCol.get(r), x)));
    const series = ys.map(({ f, i }) => {
      const col = table.getChildAt(i)!;
      return {
        name: f.name,
        points: Array.from({ length: n }, (_, r) => [r, numberOf(col.get(r), f.type) ?? 0] as [number, number]),
      };
    });
    return { series, xTime: false, labels };
  }
  const split = fields.findIndex((f, i) => i > 0 && DataType.isUtf8(f.type));
  const xs = Array.from({ length: table.numRows }, (_, r) => numberOf(xCol.get(r), x.type));
  let series: Series[];
  if (split > 0 && ys.length === 1) {
    const by = new Map<string, [number, number][]>();
    const sCol = table.getChildAt(split)!;
    const yCol = table.getChildAt(ys[0]!.i)!;
    for (let r = 0; r < table.numRows; r++) {
      const key = String(sCol.get(r) ?? 'NULL');
      const xv = xs[r];
      const yv = numberOf(yCol.get(r), ys[0]!.f.type);
      if (xv === null || xv === undefined || yv === null) continue;
      if (!by.has(key)) {
        if (by.size >= MAX_SERIES) continue;
        by.set(key, []);
      }
      by.get(key)!.push([xv, yv]);
    }
    series = [...by].map(([name, points]) => ({ name, points }));
  } else {
    series = ys.map(({ f, i }) => {
      const col = table.getChildAt(i)!;
      const points: [number, number][] = [];
      for (let r = 0; r < table.numRows; r++) {
        const xv = xs[r];
        const yv = numberOf(col.get(r), f.type);
        if (xv !== null && xv !== undefined && yv !== null) points.push([xv, yv]);
      }
      return { name: f.name, points };
    });
  }
  for (const s of series) s.points.sort((a, b) => a[0] - b[0]);
  return { series, xTime: isTime(x.type), labels: null };
}

function ticks(min: number, max: number, count: number): number[] {
  if (min === max) return [min];
  const step0 = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(v);
  return out;
}

export function drawChart(canvas: HTMLCanvasElement, table: Table, kind: ChartKind, locale: string): boolean {
  const spec = chartSeries(table, kind);
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  if (!spec) return false;
  const pad = { l: 64, r: 20, t: 36, b: 44 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const all = spec.series.flatMap((s) => s.points);
  let yMin = Math.min(0, ...all.map((p) => p[1]));
  let yMax = Math.max(...all.map((p) => p[1]));
  if (yMin === yMax) {
    yMin -= 1;
    yMax += 1;
  }
  const xMin = Math.min(...all.map((p) => p[0]));
  const xMax = Math.max(...all.map((p) => p[0]));
  const bars = spec.labels !== null;
  const n = spec.labels?.length ?? 0;
  const X = (x: number) =>
    bars ? pad.l + ((x + 0.5) / n) * pw : pad.l + (xMax === xMin ? pw / 2 : ((x - xMin) / (xMax - xMin)) * pw);
  const Y = (y: number) => pad.t + ph - ((y - yMin) / (yMax - yMin)) * ph;
  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#1e2b3c';
  g.fillStyle = '#8fa1b8';
  g.lineWidth = 1;
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  for (const v of ticks(yMin, yMax, 5)) {
    g.beginPath();
    g.moveTo(pad.l, Y(v));
    g.lineTo(pad.l + pw, Y(v));
    g.stroke();
    g.textAlign = 'right';
    g.fillText(nf.format(v), pad.l - 6, Y(v) + 4);
  }
  g.textAlign = 'center';
  if (bars) {
    const every = Math.ceil(n / Math.max(1, Math.floor(pw / 70)));
    spec.labels!.forEach((label, i) => {
      if (i % every === 0) g.fillText(label.length > 12 ? `${label.slice(0, 11)}…` : label, X(i), pad.t + ph + 16);
    });
    const groupW = (pw / n) * 0.8;
    const barW = groupW / spec.series.length;
    spec.series.forEach((s, k) => {
      g.fillStyle = PALETTE[k % PALETTE.length]!;
      for (const [x, y] of s.points)
        g.fillRect(X(x) - groupW / 2 + k * barW, Math.min(Y(y), Y(0)), Math.max(1, barW - 1), Math.abs(Y(0) - Y(y)));
    });
  } else {
    const fmt = spec.xTime
      ? new Intl.DateTimeFormat(locale, {
          timeZone: 'Asia/Ho_Chi_Minh',
          ...(xMax - xMin > 2 * 86_400_000
            ? { day: '2-digit', month: '2-digit' }
            : { hour: '2-digit', minute: '2-digit' }),
        })
      : nf;
    for (const v of spec.xTime
      ? Array.from({ length: 6 }, (_, i) => xMin + ((xMax - xMin) * i) / 5)
      : ticks(xMin, xMax, 6))
      g.fillText(fmt.format(v), X(v), pad.t + ph + 16);
    spec.series.forEach((s, k) => {
      g.strokeStyle = PALETTE[k % PALETTE.length]!;
      g.lineWidth = 2;
      g.beginPath();
      s.points.forEach(([x, y], i) => (i === 0 ? g.moveTo(X(x), Y(y)) : g.lineTo(X(x), Y(y))));
      g.stroke();
      if (s.points.length < 60) {
        g.fillStyle = PALETTE[k % PALETTE.length]!;
        for (const [x, y] of s.points) {
          g.beginPath();
          g.arc(X(x), Y(y), 2.5, 0, Math.PI * 2);
          g.fill();
        }
      }
    });
  }
  // Legend along the top.
  let lx = pad.l;
  spec.series.forEach((s, k) => {
    g.fillStyle = PALETTE[k % PALETTE.length]!;
    g.fillRect(lx, 12, 10, 10);
    g.fillStyle = '#e6edf6';
    g.textAlign = 'left';
    g.fillText(s.name, lx + 14, 21);
    lx += 24 + g.measureText(s.name).width;
  });
  return true;
}
