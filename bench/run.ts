// `npm run bench [-- --quick]`: runs every benchmark of this folder in turn, each in its own process, then the summary.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const started = Date.now();
const BENCHES: { file: string; args: string[]; quickArgs: string[] }[] = [
  { file: 'append.ts', args: ['--rows', '1000000'], quickArgs: ['--rows', '200000'] },
  { file: 'ingest.ts', args: [], quickArgs: ['--quick'] },
  { file: 'jetstream.ts', args: ['--events', '200000'], quickArgs: ['--events', '50000'] },
  { file: 'freshness.ts', args: [], quickArgs: ['--quick'] },
  { file: 'queries.ts', args: [], quickArgs: ['--quick'] },
  { file: 'tick.ts', args: [], quickArgs: ['--sizes', '1000000', '--ticks', '8'] },
  { file: 'failover.ts', args: [], quickArgs: ['--quick'] },
  { file: 'cluster.ts', args: ['--events', '200000'], quickArgs: ['--quick'] },
  { file: 'summary.ts', args: ['--since', String(started)], quickArgs: ['--since', String(started), '--quick'] },
];

let failed = 0;
for (const b of BENCHES) {
  const path = fileURLToPath(new URL(`./${b.file}`, import.meta.url));
  process.stderr.write(
    `\n== bench/${b.file} ${quick ? '(quick) ' : ''}at ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', path, ...(quick ? b.quickArgs : b.args)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${b.file} failed (exit ${String(r.status ?? r.signal)})\n`);
  }
}
process.stderr.write(
  `\nbenchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} failed` : ''}\n`,
);
process.exit(failed ? 1 : 0);
