// Shared benchmark output: a table on stdout and bench/results/<name>.json, so runs can be compared later.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';

export interface BenchResult {
  name: string;
  /** What value counts, e.g. 'rows/s'. */
  unit: string;
  value: number;
  /** Name of the result this one is compared with (usually the simplest path). */
  baseline?: string;
  /** value / the baseline's value; report() works it out when it is left out. */
  ratio?: number;
  /** Extra columns for the table and the JSON, e.g. {rows, seconds}. */
  details?: Record<string, number | string>;
}

export interface Machine {
  cpus: number;
  node: string;
  platform: string;
  cpu?: string;
  memoryGiB?: number;
}

export interface BenchReport {
  machine: Machine;
  date: string;
  results: BenchResult[];
}

function withRatios(results: readonly BenchResult[]): BenchResult[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return results.map((r) => {
    if (r.ratio !== undefined || r.baseline === undefined) return r;
    const base = byName.get(r.baseline);
    if (base === undefined)
      throw new Error(`result "${r.name}" names a baseline "${r.baseline}" that is not among the results`);
    return { ...r, ratio: r.value / base.value };
  });
}

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 3 : 0 });
}

function table(results: readonly BenchResult[]): string {
  const detailKeys = [...new Set(results.flatMap((r) => Object.keys(r.details ?? {})))];
  // One shared unit becomes the value column's heading; mixed units get a column of their own.
  const units = new Set(results.map((r) => r.unit));
  const unit = units.size === 1 ? [...units][0] : undefined;
  const header = ['path', ...detailKeys, unit ?? 'value', ...(unit ? [] : ['unit']), 'ratio'];
  const rows = results.map((r) => [
    r.name,
    ...detailKeys.map((k) => {
      const v = r.details?.[k];
      return v === undefined ? '' : format(v);
    }),
    format(Math.round(r.value)),
    ...(unit ? [] : [r.unit]),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  // Names read best left-aligned, numbers right-aligned.
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The machine a run measured: results from different machines do not compare. */
export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: os.cpus()[0]?.model.trim(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Prints the results as a table and writes bench/results/<name>.json. */
export async function report(name: string, results: BenchResult[]): Promise<void> {
  const complete = withRatios(results);
  const doc: BenchReport = {
    machine: machine(),
    date: new Date().toISOString(),
    results: complete,
  };
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\n${name}\n${table(complete)}\n\nwritten to bench/results/${name}.json`);
}
