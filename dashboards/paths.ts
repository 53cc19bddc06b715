// Where the dashboards' sources live and where their built pages go, shared by the Vite config and the build entry.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The Vite root: this folder. */
export const dashboardsRoot = fileURLToPath(new URL('.', import.meta.url));

/** The built pages and their assets; the engine serves from here. */
export const dashboardsOutDir = resolve(dashboardsRoot, '..', 'dist', 'dashboards');

/** One HTML entry per page; a page added here is built and served from its folder. */
export const dashboardPages = {
  wall: resolve(dashboardsRoot, 'wall', 'index.html'),
  console: resolve(dashboardsRoot, 'console', 'index.html'),
  briefing: resolve(dashboardsRoot, 'briefing', 'index.html'),
  incidents: resolve(dashboardsRoot, 'incidents', 'index.html'),
} as const;
