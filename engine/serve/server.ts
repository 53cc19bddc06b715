// Binds the Hono app and the live hub to HOST:PORT.
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { createApp } from './app.ts';
import type { ServeContext } from './context.ts';
import { Hub } from './hub.ts';
import { guardSockets } from './socket-access.ts';
import { engineOrigins } from './cors.ts';

export interface RunningServer {
  url: string;
  port: number;
  hub: Hub;
  app: Hono<AccessEnv>;
  close(): Promise<void>;
}

export async function startServer(ctx: ServeContext, log: Logger): Promise<RunningServer> {
  const app = createApp(ctx, log);
  const server = serve({ fetch: app.fetch, hostname: ctx.config.host, port: ctx.config.port }) as HttpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new EngineError(
              'unavailable',
              `port ${ctx.config.port} on ${ctx.config.host} is in use: set PORT to a free port`,
              { cause: err },
            )
          : err,
      );
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  const hub = new Hub(
    server,
    () => ctx.views.filter((v) => !v.hidden).map((v) => v.name),
    engineOrigins(ctx.config.engines),
  );
  if (ctx.access) guardSockets(hub.io, ctx.access);
  const host = ctx.config.host.includes(':') ? `[${ctx.config.host}]` : ctx.config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    hub,
    app,
    async close() {
      await hub.close();
      // Idle keep-alive connections (a wall's browser holds some) would hold the stop for minutes: close them now, and
      // whatever is still busy after a short grace.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
    },
  };
}
