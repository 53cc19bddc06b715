// The Hono application: the API under /api and the built dashboards as static pages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate, publicRoute, rateLimit, type AccessEnv } from '../access/index.ts';
import type { Logger } from '../log.ts';
import { apiRoutes } from './api.ts';
import { API_BODY_MAX_BYTES, limitBody } from './body-limit.ts';
import type { ServeContext } from './context.ts';
import { engineCors, engineOrigins } from './cors.ts';
import { errorResponse, onError } from './errors.ts';
import { ingestRoutes } from './ingest.ts';
import { metricsRoutes } from './metrics.ts';
import { portalRoutes } from './portal.ts';
import { CITY, OUTSIDE } from '../geo/index.ts';
import { basemapOrigin } from '../basemap/url.ts';

const INGEST_PATH = '/api/ingest';
const PAGES: Record<string, string> = {
  '/': 'wall',
  '/console': 'console',
  '/briefing': 'briefing',
  '/incidents': 'incidents',
};

export function createApp(ctx: ServeContext, log: Logger): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const tiles = basemapOrigin(ctx.config.basemapUrl);
  app.onError(onError(log));
  app.use(
    '*',
    secureHeaders({
      // The pages load only their own bundle; styles inline (deck.gl, CodeMirror), workers from blobs; the base map's
      // tile service (BASEMAP_URL) is the one other origin, for its tiles, fetched and drawn as images.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
        // The other replicas of ENGINES: a wall fails over to their API.
        connectSrc: ["'self'", 'ws:', 'wss:', ...engineOrigins(ctx.config.engines), ...tiles],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Before authentication: a browser's preflight carries no token.
  if (ctx.config.engines.length > 0) app.use('/api/*', engineCors(ctx.config.engines));
  // Each route declares who may use it (requireRole, publicRoute); these read it to know whether a token is needed.
  const access = ctx.access;
  app.use('*', authenticate(access));
  if (access?.enabled) app.use('*', rateLimit(access));
  // After authentication, so a caller without a token is refused before anything is read. Ingest takes larger bodies
  // and caps them itself (INGEST_MAX_BYTES).
  const apiBodies = limitBody(API_BODY_MAX_BYTES);
  app.use('/api/*', (c, next) => (c.req.path === INGEST_PATH ? next() : apiBodies(c, next)));
  // Before /api: its catch-all answers every path under it.
  app.route(INGEST_PATH, ingestRoutes(ctx));
  app.route('/metrics', metricsRoutes(ctx));
  app.route('/api', apiRoutes(ctx));
  if (ctx.open)
    app.route(
      '/',
      portalRoutes({
        open: ctx.open,
        sandbox: ctx.sandbox,
        ratePerMinute: ctx.config.openRatePerMin,
        baseUrl: ctx.config.openBaseUrl,
        isArea: (code) => code === CITY || code === OUTSIDE || ctx.areas.get(code) !== undefined,
      }),
    );
  for (const [path, page] of Object.entries(PAGES)) {
    app.get(path, publicRoute, (c) => {
      const file = join(ctx.dashboardsDir, page, 'index.html');
      if (!existsSync(file))
        return errorResponse(c, 404, 'not_found', `the ${page} page is not built: run npm run build`);
      return c.html(readFileSync(file, 'utf8'));
    });
  }
  app.get('/assets/*', publicRoute, serveStatic({ root: ctx.dashboardsDir }));
  app.get('/data/*', publicRoute, serveStatic({ root: ctx.dashboardsDir }));
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  return app;
}
