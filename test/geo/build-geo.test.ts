// The build scripts of the shipped areas: run afresh, each writes its file byte for byte (the former districts'
// approximate shapes from public facts; the wards and their dissolved districts from bin/geo/reference/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe.each([
  ['build-hanoi-districts.ts', 'hanoi-districts.geojson'],
  ['build-hanoi-wards.ts', 'hanoi-wards.geojson'],
])('bin/geo/%s', (script, shipped) => {
  it(`rebuilds engine/geo/${shipped} unchanged`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-geo-build-'));
    try {
      const out = join(dir, shipped);
      const run = spawnSync(process.execPath, ['--import', 'tsx', here(`../../bin/geo/${script}`), out], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`wrote ${out}`);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(here(`../../engine/geo/${shipped}`), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
