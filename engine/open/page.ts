// The portal's catalogue page, written on the server as plain HTML (no script: the pages' CSP allows none inline),
// bilingual, every value escaped.
import { PUBLISHER } from './dcat.ts';
import { FORMAT_INFO, FORMATS, downloadUrl, suppressionNote } from './formats.ts';
import type { DatasetListing } from './open-data.ts';
import { FREQUENCIES, licenceUri, type Frequency } from './publication.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

const FREQUENCY_WORDS: Record<Frequency, { vi: string; en: string }> = {
  continuous: { vi: 'liên tục', en: 'continuous' },
  hourly: { vi: 'hằng giờ', en: 'hourly' },
  daily: { vi: 'hằng ngày', en: 'daily' },
  weekly: { vi: 'hằng tuần', en: 'weekly' },
  monthly: { vi: 'hằng tháng', en: 'monthly' },
  quarterly: { vi: 'hằng quý', en: 'quarterly' },
  annual: { vi: 'hằng năm', en: 'annual' },
  irregular: { vi: 'không định kỳ', en: 'irregular' },
};

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;background:#fafafa;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:0}
.en{color:#555}.lead{margin:.25rem 0 1.5rem}
article{background:#fff;border:1px solid #d8dde3;border-radius:4px;padding:1rem 1.25rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.75rem 0}dt{color:#555}dd{margin:0}
a{color:#0b4f8a}.downloads a{margin-right:1rem}.note{font-size:.9rem;color:#555}
footer{font-size:.9rem;color:#555;margin-top:2rem}`;

function bi(vi: string, en: string): string {
  return `${escapeHtml(vi)} <span class="en" lang="en">/ ${escapeHtml(en)}</span>`;
}

function datasetHtml(d: DatasetListing, base: string): string {
  const f = FREQUENCY_WORDS[d.frequency];
  const links = FORMATS.map(
    (fmt) => `<a href="${escapeHtml(downloadUrl(base, d.name, fmt))}" download>${FORMAT_INFO[fmt].label}</a>`,
  ).join('');
  return `<article id="${escapeHtml(d.name)}">
<h2>${escapeHtml(d.title.vi)}</h2>
<p class="en" lang="en">${escapeHtml(d.title.en)}</p>
<p>${escapeHtml(d.description.vi)}</p>
<p class="en" lang="en">${escapeHtml(d.description.en)}</p>
<dl>
<dt>Mã / Identifier</dt><dd><code>${escapeHtml(d.name)}</code></dd>
<dt>Giấy phép / Licence</dt><dd><a href="${escapeHtml(licenceUri(d.licence))}" rel="license">${escapeHtml(d.licence)}</a></dd>
<dt>Tần suất / Frequency</dt><dd>${bi(f.vi, f.en)} <span class="note">(${escapeHtml(FREQUENCIES[d.frequency])})</span></dd>
<dt>Từ khóa / Keywords</dt><dd>${d.keywords.map(escapeHtml).join(', ') || '—'}</dd>
<dt>Cập nhật / Modified</dt><dd><time datetime="${escapeHtml(d.updatedAt)}">${escapeHtml(d.updatedAt)}</time></dd>
<dt>Lượt tải / Downloads</dt><dd>${d.downloads}</dd>
</dl>
<p class="downloads">${links}</p>
</article>`;
}

/** The whole page; `base`: the portal's absolute origin, without a trailing slash. */
export function cataloguePage(datasets: readonly DatasetListing[], base: string, minCount: number): string {
  const note = suppressionNote(minCount);
  const body = datasets.length
    ? datasets.map((d) => datasetHtml(d, base)).join('\n')
    : `<p>${bi('Chưa có bộ dữ liệu nào được công bố.', 'No dataset is published yet.')}</p>`;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng dữ liệu mở Hà Nội · Hanoi open data</title>
<link rel="alternate" type="application/ld+json" href="${escapeHtml(`${base}/open/api/datasets`)}">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Cổng dữ liệu thành phố</h1>
<p class="en" lang="en">City open-data portal</p>
<p class="lead">${bi(PUBLISHER.vi, PUBLISHER.en)}</p>
<p class="note">${bi(note.vi, note.en)}</p>
<p class="note">${bi('Lọc theo thời gian và khu vực:', 'Filter by time and area:')} <code>?from=2026-11-27T00:00:00+07:00&amp;to=2026-11-28T00:00:00+07:00&amp;area=hoan_kiem</code></p>
${body}
<footer>${bi('Danh mục máy đọc được (DCAT-AP, JSON-LD):', 'Machine-readable catalogue (DCAT-AP, JSON-LD):')} <a href="${escapeHtml(`${base}/open/api/datasets`)}">/open/api/datasets</a></footer>
</main>
</body>
</html>`;
}
