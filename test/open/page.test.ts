// The catalogue page escapes every value an admin wrote, and carries no script.
import { describe, expect, it } from 'vitest';
import { cataloguePage } from '../../engine/open/index.ts';

const hostile = '<script>alert("x")</script>&<img src=x onerror=alert(1)>\'"';

describe('the catalogue page', () => {
  it('escapes titles, descriptions, keywords, names and links', () => {
    const html = cataloguePage(
      [
        {
          name: 'noise',
          source: { kind: 'view', view: 'noise_laeq' },
          title: { vi: hostile, en: hostile },
          description: { vi: hostile, en: hostile },
          licence: 'https://example.org/licence?a=1&b="2"',
          frequency: 'daily',
          keywords: [hostile],
          createdBy: 'a',
          createdAt: '2026-12-01T00:00:00Z',
          updatedBy: 'a',
          updatedAt: '2026-12-01T00:00:00Z',
          downloads: 3,
          available: true,
        },
      ],
      'https://data.example',
      5,
    );
    expect(html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;&#39;&quot;',
    );
    expect(html).toContain('href="https://example.org/licence?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('href="https://data.example/open/api/datasets/noise.parquet"');
    expect(html).toContain('<html lang="vi">');
  });

  it('says when nothing is published', () => {
    expect(cataloguePage([], 'https://data.example', 5)).toMatch(/No dataset is published yet/);
  });
});
