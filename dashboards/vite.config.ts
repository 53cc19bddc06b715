// Vite build of the dashboards: one multi-page bundle whose shared assets live under /assets.
import { defineConfig } from 'vite';
import { dashboardPages, dashboardsOutDir, dashboardsRoot } from './paths.ts';

export default defineConfig({
  root: dashboardsRoot,
  // The engine serves `dist/dashboards/assets/*` at `/assets/*`, so asset URLs must be absolute from the origin.
  base: '/',
  // The pages are served by the engine, never from a public folder of static extras.
  publicDir: false,
  build: {
    outDir: dashboardsOutDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    // Operators' machines run current Chromium/Edge; no legacy transpilation needed.
    target: 'es2022',
    // deck.gl alone is several hundred kB; one chunk per page is what we want on a LAN wall.
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      input: dashboardPages,
    },
  },
});
