// GET /api/briefing?date=YYYY-MM-DD&span=day|week&lang=vi|en: the leaders' briefing, facts and narrative; and
// GET /api/briefing/pdf with the same query: that briefing as an A4 PDF to download or print.
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { z } from 'zod';
import { assembleBriefing, briefingPdfName, hanoiToday, renderBriefingPdf } from '../briefing/index.ts';
import type { ServeContext } from './context.ts';
import { validate } from './validate.ts';

const Query = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .optional(),
  span: z.enum(['day', 'week'], { message: 'must be day or week' }).default('day'),
  lang: z.enum(['vi', 'en'], { message: 'must be vi or en' }).default('vi'),
});

export function briefingRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  api.get('/', requireRole(...GRANTS.read), validate('query', Query), async (c) => {
    const q = c.req.valid('query');
    return c.json(await assembleBriefing(ctx, { ...q, date: q.date ?? hanoiToday() }));
  });
  api.get('/pdf', requireRole(...GRANTS.read), validate('query', Query), async (c) => {
    const q = c.req.valid('query');
    const briefing = await assembleBriefing(ctx, { ...q, date: q.date ?? hanoiToday() });
    const pdf = await renderBriefingPdf(briefing, q.lang);
    return c.body(pdf, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${briefingPdfName(briefing.date, briefing.span)}"`,
      'cache-control': 'no-store',
    });
  });
  return api;
}
