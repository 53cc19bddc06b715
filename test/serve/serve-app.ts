// The engine's Hono app for route tests through app.request(): the real routes over a DuckDB in memory, with the
// views, alerts and analysts' sandbox they read, but no HTTP listener, broker, replica, tick or ingestion.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { dashboardsOutDir } from '../../dashboards/paths.ts';
import { SqlSlots, TokenStore, type AccessEnv } from '../../engine/access/index.ts';
import { AlertEngine, loadRules } from '../../engine/alerts/index.ts';
import { applier, localBus, replicaState } from '../../engine/cluster/index.ts';
import { loadConfig, type ConfigInput } from '../../engine/config.ts';
import { DEFAULT_AREAS_FILE, loadAreas } from '../../engine/geo/index.ts';
import { createLogger } from '../../engine/log.ts';
import { noIngestYet } from '../../engine/ingest/index.ts';
import { Registry } from '../../engine/registry/index.ts';
import { Sandbox } from '../../engine/query/index.ts';
import { createApp, type ServeContext } from '../../engine/serve/index.ts';
import { loadAreasTable } from '../../engine/store/areas.ts';
import { openStore } from '../../engine/store/index.ts';
import { Rollups, loadViews } from '../../engine/views/index.ts';
import { LiveViews } from '../../engine/views/live-views.ts';
import { LiveRules } from '../../engine/alerts/live-rules.ts';
import { RuntimeDefinitions } from '../../engine/definitions/runtime-store.ts';
import { OpenData, OpenStore } from '../../engine/open/index.ts';
import { ROLLUP_TABLE } from '../../engine/views/index.ts';

export interface ServeApp {
  app: Hono<AccessEnv>;
  ctx: ServeContext;
  /** The token file, when access control is on. */
  tokens: TokenStore;
  /** One request; the body is sent as JSON unless it is a string. */
  request(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** `auth`: tokens required, with the rate limits of the config. */
export async function serveApp(overrides: Partial<ConfigInput> & { auth?: 'on' | 'off' } = {}): Promise<ServeApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-app-'));
  const config = loadConfig(
    {},
    { dataDir: dir, dbFile: ':memory:', simulate: false, logLevel: 'silent', ...overrides },
  );
  const log = createLogger('silent');
  const store = await openStore(config);
  const areas = await loadAreas(config.areasFile ?? DEFAULT_AREAS_FILE);
  await loadAreasTable(store.writer, areas);
  const views = loadViews();
  const rollups = new Rollups(await store.db.connect(), views, log);
  await rollups.init();
  await RuntimeDefinitions.createTables(store.writer);
  const liveViews = new LiveViews(
    await store.db.connect(),
    new RuntimeDefinitions(await store.db.connect()),
    rollups,
    log,
  );
  const alerts = new AlertEngine(await store.db.connect(), loadRules(views), views, log);
  await alerts.init();
  const liveRules = new LiveRules(new RuntimeDefinitions(await store.db.connect()), alerts, views, log);
  await Sandbox.createTables(store.writer);
  const registry = await Registry.open(store.db);
  const sandbox = await Sandbox.open(store.db, {
    timeoutMs: config.sqlTimeoutMs,
    maxRows: config.sqlMaxRows,
    exportTimeoutMs: config.sqlExportTimeoutMs,
    concurrency: config.sqlConcurrency,
    queue: config.sqlQueue,
  });
  await OpenStore.createTables(store.writer);
  const open = await OpenData.open(await store.db.connect(), await store.db.connect(), {
    views,
    sandbox,
    minCount: config.openMinCount,
    rollupTable: ROLLUP_TABLE,
  });
  const tokens = TokenStore.inDataDir(dir);
  const ctx: ServeContext = {
    config,
    reader: store.reader,
    sandbox,
    areas,
    views,
    startedAt: Date.now(),
    dashboardsDir: dashboardsOutDir,
    ingest: noIngestYet,
    rollups: () => ({ ticks: rollups.ticks, lastTickMs: rollups.lastTickMs, dirtyWindows: rollups.dirtyWindows }),
    indicators: rollups,
    sources: () => ({}),
    replicaState: () =>
      replicaState({
        name: 'engine',
        role: () => 'leader',
        leader: () => 'engine',
        sources: () => [],
        commandsBehind: () => 0,
        maxLag: config.readyMaxLag,
      }),
    alerts,
    registry,
    liveViews,
    liveRules,
    open,
    commands: localBus(
      applier({
        alerts,
        saved: sandbox.saved,
        tokens,
        registry,
        views: liveViews,
        rules: liveRules,
        open,
        alertChanged: () => undefined,
        incidentChanged: () => undefined,
      }),
    ),
    access: {
      enabled: config.auth === 'on',
      tokens,
      ratePerSecond: config.rateLimit,
      burst: config.rateBurst,
      maxSocketClients: config.maxSocketClients,
      sqlSlots: new SqlSlots(config.sqlPerToken),
    },
  };
  const app = createApp(ctx, log);
  return {
    app,
    ctx,
    tokens,
    async request(method, path, options = {}) {
      const { token, body, headers = {} } = options;
      const res = await app.request(path, {
        method,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await sandbox.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
