// Installs a Debian package a benchmark peer needs, when we are root and apt works; otherwise says why not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let updated = false;

/** True when `binary` exists, after installing `pkg` from Debian's packages if it was missing. */
export function ensureBinary(binary: string, pkg: string): boolean {
  if (existsSync(binary)) return true;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`skipped: ${binary} is missing (apt-get install -y ${pkg})\n`);
    return false;
  }
  process.stderr.write(`installing ${pkg} from Debian's packages…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    updated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', pkg], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(binary)) {
    process.stderr.write(
      `skipped: apt-get install ${pkg} failed: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}\n`,
    );
    return false;
  }
  return true;
}
