// GET /metrics: the engine's Prometheus metrics in the text exposition format.
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import type { ServeContext } from './context.ts';

export function metricsRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  app.get('/', requireRole(...GRANTS.monitor), async (c) => {
    const metrics = ctx.metrics;
    if (!metrics) throw new EngineError('not_found', 'metrics are not collected by this engine');
    return c.body(await metrics.text(), 200, { 'content-type': metrics.contentType });
  });
  return app;
}
