// Serving's door: the HTTP API, the pages and the live hub.
export { startServer, type RunningServer } from './server.ts';
export { createApp } from './app.ts';
export { LiveQueries } from './live-queries.ts';
export type { ServeContext } from './context.ts';
