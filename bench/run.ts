// `npm run bench [-- --quick]`: runs every benchmark of this folder in turn, each in its own process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const BENCHES: { file: string; args: string[]; quickArgs: string[] }[] = [
  { file: 'append.ts', args: ['--rows', '1000000'], quickArgs: ['--rows', '200000'] },
  { file: 'tick.ts', args: [], quickArgs: ['--quick'] },
  { file: 'sql.ts', args: ['--rows', '10000000'], quickArgs: ['--rows', '1000000', '--seconds', '5', '--runs', '3'] },
];

let failed = 0;
for (const b of BENCHES) {
  const path = fileURLToPath(new URL(`./${b.file}`, import.meta.url));
  process.stderr.write(`\n== bench/${b.file} ${quick ? '(quick)' : ''}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path, ...(quick ? b.quickArgs : b.args)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
