// GET /api/briefing?date=YYYY-MM-DD&span=day|week&lang=vi|en: the leaders' briefing, facts and narrative.
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { z } from 'zod';
import { briefingFacts, hanoiToday, narrative } from '../briefing/index.ts';
import { briefingSections } from '../briefing/sections.ts';
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
    const facts = await briefingFacts(ctx.reader, ctx.indicators, ctx.views, q.date ?? hanoiToday(), q.span);
    const { period, ...rest } = facts;
    return c.json({
      date: period.date,
      span: period.span,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      lang: q.lang,
      generatedAt: new Date().toISOString(),
      simulated: ctx.simulated?.() ?? false,
      scale: 'VN_AQI (QĐ 1459/QĐ-TCMT)',
      ...rest,
      sections: await briefingSections(ctx.sandbox, period),
      narrative: narrative(facts, q.lang),
    });
  });
  return api;
}
