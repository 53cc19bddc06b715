// `npm run bench [-- --quick]`: runs every benchmark of this folder in turn, each in its own process, then the summary.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const started = Date.now();
/**
 * `quickArgs: null`: a benchmark the quick run leaves out, saying why (`why`): its figure needs a long span, or a
 * cluster of processes that takes most of a minute to stand up (the quick run is CI's, which has 15 minutes in all).
 */
const LONG_SPAN = 'its figure needs a long span';
const CLUSTER = 'it stands up a cluster of nats-servers and engines; the full run measures it';
const PEERS = 'it loads the same events into DuckDB, PostgreSQL and InfluxDB; the full run measures it';
const REPLAY = 'it pre-publishes a stream for a replay; the full run measures it';
const BENCHES: { file: string; args: string[]; quickArgs: string[] | null; why?: string }[] = [
  { file: 'append.ts', args: ['--rows', '1000000'], quickArgs: ['--rows', '200000'] },
  { file: 'ingest.ts', args: [], quickArgs: ['--quick'] },
  { file: 'jetstream.ts', args: ['--events', '200000'], quickArgs: null, why: REPLAY },
  { file: 'freshness.ts', args: [], quickArgs: ['--quick'] },
  { file: 'queries.ts', args: [], quickArgs: null, why: PEERS },
  { file: 'tick.ts', args: [], quickArgs: ['--sizes', '1000000', '--ticks', '8'] },
  { file: 'geo.ts', args: [], quickArgs: ['--points', '500000', '--runs', '3'] },
  { file: 'pg.ts', args: ['--rows', '1000000'], quickArgs: ['--quick'] },
  { file: 'views.ts', args: [], quickArgs: ['--quick'] },
  { file: 'briefing-pdf.ts', args: [], quickArgs: ['--quick'] },
  { file: 'incident-push.ts', args: [], quickArgs: ['--quick'] },
  { file: 'failover.ts', args: [], quickArgs: null, why: CLUSTER },
  { file: 'cluster.ts', args: ['--events', '200000'], quickArgs: null, why: CLUSTER },
  { file: 'rest.ts', args: [], quickArgs: null, why: LONG_SPAN },
  { file: 'wall-load.ts', args: [], quickArgs: null, why: LONG_SPAN },
  { file: 'summary.ts', args: ['--since', String(started)], quickArgs: ['--since', String(started), '--quick'] },
];

let failed = 0;
for (const b of BENCHES) {
  if (quick && b.quickArgs === null) {
    process.stderr.write(`\n== bench/${b.file}: left out of the quick run (${b.why ?? LONG_SPAN})\n`);
    continue;
  }
  const path = fileURLToPath(new URL(`./${b.file}`, import.meta.url));
  process.stderr.write(
    `\n== bench/${b.file} ${quick ? '(quick) ' : ''}at ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', path, ...(quick ? (b.quickArgs ?? []) : b.args)], {
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
