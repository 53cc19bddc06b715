// The open-data portal's settings: how often one address may ask, the smallest count a published cell shows, and the
// address harvesters are given.
import { z } from 'zod';
import { int, url } from '../config-fields.ts';

export const OpenSettings = z.object({
  openRatePerMin: int(1, 100_000)
    .default(60)
    .describe('requests per minute one client address may make to the open-data portal under `/open/` (then `429`)'),
  openMinCount: int(1, 1_000_000)
    .default(5)
    .describe(
      'a published row counting fewer underlying events (`n`) has its value and count withheld (null, `suppressed: true`)',
    ),
  openBaseUrl: url(['http:', 'https:']).optional().meta({
    description:
      "the portal's public address, e.g. `https://data.hanoi.gov.vn`, for the absolute links of the catalogue and its DCAT-AP document (behind a proxy)",
    shownDefault: "the request's own origin",
  }),
});
