// Publications and download counts live in the engine's database: an engine started again on the same folder serves
// the same datasets and keeps counting from where it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEngine } from '../support/engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'ioc-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an engine started again', () => {
  it('serves what was published, with its downloads', async () => {
    const first = await startTestEngine({ dataDir: dir });
    try {
      const put = await fetch(`${first.url}/api/open/flow`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          view: 'traffic_flow',
          title: { vi: 'Lưu lượng', en: 'Flow' },
          description: { vi: 'Xe mỗi phút.', en: 'Vehicles per minute.' },
          licence: 'CC-BY-4.0',
          frequency: 'continuous',
        }),
      });
      expect(put.status).toBe(200);
      expect((await first.get('/open/api/datasets/flow.json')).status).toBe(200);
    } finally {
      await first.stop();
    }
    const again = await startTestEngine({ dataDir: dir });
    try {
      const list = await again.get('/api/open');
      expect(list.body.datasets).toEqual([
        expect.objectContaining({ name: 'flow', createdBy: 'anonymous', downloads: 1, available: true }),
      ]);
      expect((await again.get('/open/api/datasets/flow.csv')).status).toBe(200);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
