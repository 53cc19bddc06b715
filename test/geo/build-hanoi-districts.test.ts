// The district map's build script: run afresh, it writes the shipped engine/geo/hanoi-districts.geojson byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../bin/geo/build-hanoi-districts.ts', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../engine/geo/hanoi-districts.geojson', import.meta.url));

describe('bin/geo/build-hanoi-districts.ts', () => {
  it('rebuilds the shipped district map from its facts, unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-districts-'));
    try {
      const out = join(dir, 'hanoi-districts.geojson');
      const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, out], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`wrote ${out}`);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(SHIPPED, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
