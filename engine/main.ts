// The composition root: wires configuration, store, views, sources, simulator and server into one running engine.
import { dashboardsOutDir } from '../dashboards/paths.ts';
import { REGISTRY_TABLE, Registry, registerSimulated } from './registry/index.ts';
import { BACKFILL_BATCH_ROWS, backfillSimulated, databaseIsEmpty } from './compose/sim-backfill.ts';
import { startMqttSimulator } from '../sources/simulate/index.ts';
import type { RawMessage, Source, SourceStatus, StreamPosition } from '../sources/source.ts';
import { openAlertSinks } from './compose/alert-sinks.ts';
import { openMqtt } from './compose/mqtt.ts';
import { openNats } from './compose/nats.ts';
import { loadConfig, type Config, type ConfigInput } from './config.ts';
import { decodeRaw, type DecodeOptions, type DecodeResult } from './decode.ts';
import { DEFAULT_AREAS_FILE, loadAreas, simulatorAreas } from './geo/index.ts';
import { Batcher } from './ingest/index.ts';
import { TickLoop } from './tick-loop.ts';
import { createLogger, type Logger } from './log.ts';
import { EngineMetrics } from './metrics.ts';
import { readDevices, Sandbox } from './query/index.ts';
import { Replica, sqlThreadsOf } from './query/replica/index.ts';
import { AUDIT_TABLE } from './query/audit.ts';
import { COMMIT_SIDE_TABLES } from './store/index.ts';
import { LiveQueries, startServer, type RunningServer } from './serve/index.ts';
import { startPgDoor, type PgDoor } from './pg/index.ts';
import { loadAreasTable, placeAgain } from './store/areas.ts';
import { openStore, type Store } from './store/index.ts';
import type { Database } from './db.ts';
import { startRetention } from './store/retention-job.ts';
import { Backups } from './store/backups.ts';
import { guardCheckpoints } from './store/checkpoints.ts';
import { loadMacros, loadViews, ROLLUP_TABLE, Rollups, sortRollups } from './views/index.ts';
import { LiveViews } from './views/live-views.ts';
import { LiveRules } from './alerts/live-rules.ts';
import { DEFINITION_CHANGES_TABLE, DEFINITIONS_TABLE, RuntimeDefinitions } from './definitions/runtime-store.ts';
import {
  ALERT_TABLES,
  AlertEngine,
  EscalationWatch,
  forwardAlerts,
  loadRules,
  type AlertEvent,
  type Forwarding,
  type IncidentChange,
  type Notice,
} from './alerts/index.ts';
import type { IncidentEvent } from '../dashboards/shared/wire/index.ts';
import { emailHealth, emailMetrics, mailNotices, openOutbox, type Outbox } from './notify/index.ts';
import { escalateOverdue } from './compose/escalations.ts';
import {
  applier,
  catchingUp,
  checkReplicaConfig,
  clusterMetrics,
  localBus,
  openCluster,
  replicaState,
  streamBus,
} from './cluster/index.ts';
import { authEnabled, SqlSlots, TokenStore } from './access/index.ts';
import { OPEN_CHANGES_TABLE, OPEN_TABLE, OpenData, OpenStore, openMetrics } from './open/index.ts';
import { assembleBriefing, startBriefingSchedule } from './briefing/index.ts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Engine {
  config: Config;
  url: string;
  /** Whether bearer tokens are required (AUTH, or by default: off on loopback, on elsewhere). */
  auth: boolean;
  /** The MQTT broker the engine listens to (the embedded one, or MQTT_URL); null for a replica without MQTT_URL. */
  mqttUrl: string | null;
  store: Store;
  batcher: Batcher;
  rollups: Rollups;
  server: RunningServer;
  /** The PostgreSQL wire-protocol door (PG_PORT); null when PG_PORT=0. */
  pg: PgDoor | null;
  /** Feeds one raw message through decode → batch (the path every connector uses). */
  ingest(msg: RawMessage): DecodeResult;
  metrics: EngineMetrics;
  /** The connectors feeding the engine (MQTT, and NATS when NATS_URL is set). */
  sources: readonly Source[];
  /** Where the engine's emails go (SMTP_URL); null when it is not set. */
  outbox: Outbox | null;
  /** Commits what is buffered and refreshes the views now. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEngine(
  overrides: Partial<ConfigInput> = {},
  env: NodeJS.ProcessEnv = process.env,
  log?: Logger,
): Promise<Engine> {
  const config = loadConfig(env, overrides);
  checkReplicaConfig(config);
  const auth = authEnabled(config.host, config.auth);
  const tokens = TokenStore.inDataDir(resolve(config.dataDir));
  log ??= createLogger(config.logLevel);
  const startedAt = Date.now();
  const areas = await loadAreas(config.areasFile ?? DEFAULT_AREAS_FILE);
  const fileViews = loadViews();
  const store = await openStore(config);
  const cleanup: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    // Views created on a running engine come back after the files' ones: the same list from here on.
    await RuntimeDefinitions.createTables(store.writer);
    const definitions = new RuntimeDefinitions(await store.db.connect());
    const loaded = await LiveViews.load(definitions, fileViews, log.child({ part: 'views' }));
    const views = loaded.views;
    // DuckDB's own checkpoints invalidate the database when they find the disk full: this job takes them over.
    const checkpoints = await guardCheckpoints(store, log.child({ part: 'store' }));
    cleanup.unshift(() => checkpoints.stop());
    const placedAgain = await placeAgain(store.writer, areas, views, log.child({ part: 'store' }));
    await loadAreasTable(store.writer, areas);
    const rollups = new Rollups(await store.db.connect(), views, log.child({ part: 'views' }), undefined, loadMacros());
    rollups.parents = areas.parents;
    await rollups.init({ recomputeAll: placedAgain });
    rollups.clockWorkEveryMs = config.tickMs;
    rollups.recomputeEveryMs = config.recomputeMs;
    rollups.recomputeShare = config.recomputeBudgetPct / 100;
    rollups.snapshotEveryMs = Math.max(config.recomputeMs, 60_000);
    const liveViews = new LiveViews(await store.db.connect(), definitions, rollups, log.child({ part: 'views' }));
    liveViews.adopt(loaded);
    const loadedRules = await LiveRules.load(definitions, loadRules(views), views, log.child({ part: 'alerts' }));
    const alerts = new AlertEngine(
      await store.db.connect(),
      loadedRules.rules,
      views,
      log.child({ part: 'alerts' }),
      await store.db.connect(),
    );
    alerts.districts = new Set(areas.districts.map((d) => d.code));
    await alerts.init();
    const liveRules = new LiveRules(definitions, alerts, views, log.child({ part: 'alerts' }));
    liveRules.adopt(loadedRules);
    liveViews.rulesUsing = (view) => liveRules.using(view);
    // Filled once the brokers are known; the alert routes and the tick forward through it.
    const forwards: Forwarding[] = [];
    const outbox = openOutbox(config, log.child({ part: 'email' }));
    // Closed after the cluster: the leader's last forwarded changes are queued before the outbox stops.
    if (outbox) cleanup.unshift(() => outbox.close());
    const mail = outbox
      ? mailNotices(outbox, config, (code) => {
          const name = areas.get(code)?.name;
          return name && name !== code ? `${name} (${code})` : code;
        })
      : null;
    // Alone, or as one replica of several: then only the lease holder forwards and mails, each change once.
    const cluster = await openCluster(
      config,
      (notices) => {
        mail?.(notices);
        return forwardAlerts(notices, forwards, log!);
      },
      log.child({ part: 'cluster' }),
    );
    cleanup.unshift(() => cluster.close());
    const escalations = new EscalationWatch(config.escalateAfterMin * 60_000);
    if (config.escalateAfterMin > 0) {
      for (const a of await alerts.list({ status: 'open', limit: 100_000 })) escalations.seeAlert(a);
      for (const i of await alerts.incidents({ status: 'open', limit: 100_000 })) escalations.seeIncident(i);
    }
    // Devices are pushed from the rows committed since the last push. `received_at` is a row's receive time, up to a
    // batch age before its commit, so a bound taken from the tick's own clock missed rows received before one tick and
    // committed after it; the oldest receive time of the batches committed since the last push bounds them exactly.
    let devicesSince: number | null = null;
    const sources: Source[] = [];
    // Set once the command bus exists: a backup records how far this replica applied people's changes.
    let commandsPosition = (): StreamPosition | null => null;
    const backups = await Backups.open(
      store,
      {
        root: join(resolve(config.dataDir), 'backups'),
        sources,
        commands: () => commandsPosition(),
        tokensFile: tokens.file,
      },
      log.child({ part: 'backup' }),
    );
    cleanup.unshift(() => backups.close());
    let hubClients = (): number => 0;
    // Set once the simulator publishes: health and the pages mark what they show as simulated.
    let simulating = false;
    let failedTicks = 0;
    let sandboxStats = (): { renewed: number } => ({ renewed: 0 });
    let analystsDb: Database | null = null;
    let replicaStats = (): { steps: number; failures: number; lastStepAt: number } => ({
      steps: 0,
      failures: 0,
      lastStepAt: 0,
    });
    const metrics = new EngineMetrics({
      ingest: () => batcher.stats,
      sources: () => sources,
      socketClients: () => hubClients(),
      dbPath: () => store.path,
      ticks: () => ({ failedTicks, failedRefreshes: rollups.failedRefreshes }),
      sandbox: () => sandboxStats(),
      replica: () => replicaStats(),
      duckdbMemory: async () => {
        // An instance closing (the engine stopping) has nothing to say: the scrape goes on without it.
        const of = async (database: string, db: Database | null) =>
          db ? (await db.memory().catch(() => [])).map((m) => ({ database, ...m })) : [];
        return [...(await of('engine', store.db)), ...(await of('analysts', analystsDb))];
      },
    });
    // A failed commit (disk full, say) hands its messages back; they are fed again after a pause, unacknowledged meanwhile.
    // Set once the tick loop exists: a commit asks for a tick, so new rows reach the indicators without waiting for the clock.
    let afterCommit = (): void => undefined;
    const retry = (msgs: RawMessage[]): void => {
      setTimeout(() => {
        for (const m of msgs) ingest(m);
      }, 1000).unref();
    };
    const batcher = new Batcher(
      store.writer,
      {
        batchRows: config.batchRows,
        batchAgeMs: config.batchAgeMs,
        quietRows: config.batchQuietRows,
        quietAgeMs: config.batchQuietAgeMs,
        onFailed: retry,
      },
      (c) => {
        rollups.onCommit(c);
        metrics.committed(c);
        afterCommit();
        replica.touch(COMMIT_SIDE_TABLES);
        if (c.inserted.camera + c.inserted.sensor > 0)
          devicesSince = Math.min(devicesSince ?? c.oldestReceivedAt, c.oldestReceivedAt);
      },
      log.child({ part: 'ingest' }),
    );
    const decodeOpts: DecodeOptions = {
      maxPayloadBytes: config.maxPayloadBytes,
      maxFutureMs: config.maxFutureMs,
      retainRawDays: config.retainRawDays,
      locate: (lon, lat) => areas.locate(lon, lat),
      isArea: (code) => areas.get(code)?.level === 'ward',
      ignoreTopics: [
        config.alertMqttTopic && `${config.alertMqttTopic}/`,
        config.alertNatsSubject && `${config.alertNatsSubject}.`,
      ].filter((p): p is string => !!p),
    };
    // An HTTP body is one message holding many events: it has its own, larger limit.
    const httpDecodeOpts: DecodeOptions = { ...decodeOpts, maxPayloadBytes: config.ingestMaxBytes };
    const ingest = (msg: RawMessage): DecodeResult => {
      const decoded = decodeRaw(msg, msg.source === 'http' ? httpDecodeOpts : decodeOpts);
      metrics.decoded(msg, decoded);
      batcher.push(msg, decoded);
      return decoded;
    };
    // HTTP senders wait for their commit; past a few batches of backlog they are asked to come back (503).
    let accepting = true;
    const ingestDoor = {
      submit: (msg: RawMessage) =>
        !accepting
          ? ('stopping' as const)
          : batcher.pendingRows > 4 * config.batchRows || !batcher.storage.ok
            ? ('busy' as const)
            : ingest(msg),
    };

    // Analysts query a replica of their own: a separate DuckDB instance with its own memory limit, threads and spill
    // folder, kept in step with this database, so no query of theirs can make a commit or a tick fail.
    await Sandbox.createTables(store.writer);
    await OpenStore.createTables(store.writer);
    // Made before the analysts' replica, which copies every table there is when it opens.
    let registryChanged = (): void => undefined;
    const registry = await Registry.open(store.db, () => registryChanged());
    const analystsDir = join(resolve(config.dataDir), 'analysts');
    const inMemory = store.path === ':memory:';
    if (!inMemory) mkdirSync(analystsDir, { recursive: true });
    let auditWritten = (): number => 0;
    let historyCommitted = 0;
    const replica = await Replica.open(
      store.db,
      {
        path: inMemory ? ':memory:' : join(analystsDir, 'replica.duckdb'),
        memoryLimit: config.sqlMemoryLimit,
        threads: sqlThreadsOf(config.sqlThreads),
        tempDir: inMemory ? null : join(analystsDir, 'spill'),
        macros: loadMacros(),
        rollups: [ROLLUP_TABLE],
        // The first start's history commits through a batcher of its own: its batches count as committed too.
        committed: (table) =>
          table === AUDIT_TABLE ? auditWritten() : Math.max(batcher.committedBatch, historyCommitted),
        syncMs: config.sqlSyncMs,
      },
      log.child({ part: 'replica' }),
    );
    cleanup.unshift(() => replica.close());
    registryChanged = () => replica.touch([REGISTRY_TABLE]);
    rollups.onRemoved = (rows) => replica.forget(ROLLUP_TABLE, rows);
    replicaStats = () => replica.stats;
    analystsDb = replica.db;
    const sandbox = await Sandbox.open(
      replica.db,
      {
        timeoutMs: config.sqlTimeoutMs,
        maxRows: config.sqlMaxRows,
        exportTimeoutMs: config.sqlExportTimeoutMs,
        concurrency: config.sqlConcurrency,
        queue: config.sqlQueue,
        // More than a batch waiting to commit: ingestion is behind, and new analyst scans wait for it (SQL_YIELD_MS at most).
        behind: () => config.sqlYieldMs > 0 && batcher.pendingRows > config.batchRows,
        deferMs: config.sqlYieldMs,
        onRecords: (table) => replica.touch([table]),
        fresh: () => replica.catchUp(),
        asOf: () => replica.stats.asOf,
      },
      store.db,
    );
    auditWritten = () => sandbox.auditWritten;
    const open = await OpenData.open(await store.db.connect(), await store.db.connect(), {
      views,
      sandbox,
      minCount: config.openMinCount,
      rollupTable: ROLLUP_TABLE,
    });
    open.onChange = () => replica.touch([OPEN_TABLE, OPEN_CHANGES_TABLE]);
    openMetrics(metrics.registry, () => open.downloads());
    // People's changes: through the cluster's command stream (every replica applies them in order), or applied here.
    let alertChanged = (_e: AlertEvent): void => undefined;
    let incidentChanged = (
      _e: IncidentEvent,
      _cause: { by: string; at: number; change: IncidentChange | null },
    ): void => undefined;
    const apply = applier({
      alerts,
      saved: sandbox.saved,
      tokens,
      registry,
      views: liveViews,
      rules: liveRules,
      open,
      alertChanged: (e) => alertChanged(e),
      incidentChanged: (e, cause) => incidentChanged(e, cause),
    });
    const commands = cluster.nc
      ? await streamBus(
          cluster.nc,
          { replica: cluster.name, replicas: config.natsReplicas },
          apply,
          log.child({ part: 'commands' }),
        )
      : localBus(apply);
    commandsPosition = () => commands.position();
    const stateOfReplica = () =>
      replicaState({
        name: cluster.name,
        role: cluster.role,
        leader: cluster.leader,
        sources: () => sources,
        commandsBehind: () => commands.behind(),
        maxLag: config.readyMaxLag,
      });
    clusterMetrics(metrics.registry, {
      state: stateOfReplica,
      commands: () => commands.stats(),
      forwarding: () => cluster.forwarder.stats(),
    });
    if (outbox) emailMetrics(metrics.registry, () => outbox.stats());
    // One count of running queries per token, whichever door they come by.
    const sqlSlots = new SqlSlots(config.sqlPerToken);
    const server = await startServer(
      {
        config,
        reader: store.reader,
        sandbox,
        areas,
        views,
        startedAt,
        dashboardsDir: dashboardsOutDir,
        ingest: () => batcher.stats,
        rollups: () => ({
          ticks: rollups.ticks,
          lastTickMs: Math.round(rollups.lastTickMs * 10) / 10,
          dirtyWindows: rollups.dirtyWindows,
          folded: rollups.incremental.folded,
          recomputed: Object.fromEntries(rollups.incremental.recomputed),
          lastRecomputeMs: Math.round(rollups.lastRecomputeMs * 10) / 10,
          recomputeEveryMs: Math.round(rollups.recomputeGapMs),
        }),
        indicators: rollups,
        sources: () => Object.fromEntries(sources.map((s) => [s.name, s.status()])) as Record<string, SourceStatus>,
        ingestDoor,
        metrics,
        alerts,
        replica: () => replica.stats,
        replicaState: stateOfReplica,
        access: {
          enabled: auth,
          tokens,
          ratePerSecond: config.rateLimit,
          burst: config.rateBurst,
          maxSocketClients: config.maxSocketClients,
          sqlSlots,
        },
        commands,
        registry,
        liveViews,
        liveRules,
        open,
        simulated: () => simulating,
        backup: backups,
        email: () => emailHealth(outbox?.stats() ?? null),
      },
      log.child({ part: 'http' }),
    );
    hubClients = () => server.hub.clients;
    liveRules.onChange = (events) => {
      replica.touch([DEFINITIONS_TABLE, DEFINITION_CHANGES_TABLE]);
      for (const e of events) alertChanged(e);
    };
    // A view made, changed or removed at run time: the analysts' replica takes its SQL view, the walls their catalogue.
    liveViews.onChange = (e) => {
      replica.touch([ROLLUP_TABLE, DEFINITIONS_TABLE, DEFINITION_CHANGES_TABLE]);
      if (e.change === 'live') alerts.viewLive(e.name);
      if (e.change !== 'live')
        void replica.redefineView(e.name).catch((err: unknown) => log!.warn('replica view', { err }));
      server.hub.publishView({
        name: e.name,
        change: e.change,
        ...(rollups.status(e.name) ?? { status: 'live', progress: 1 }),
      });
      ticks?.request();
    };
    // An operator's action changed the alert tables: the analysts' replica copies them at its next step.
    alertChanged = (e) => {
      replica.touch(ALERT_TABLES);
      server.hub.publishAlerts([e]);
      escalations.see(e);
      cluster.forwarder.offer([{ on: 'alert', event: e }]);
    };
    incidentChanged = (e, cause) => {
      replica.touch(ALERT_TABLES);
      server.hub.publishIncident(e);
      escalations.seeIncident(e.incident);
      // A checklist step ticked is the room's own bookkeeping: nobody is mailed for it.
      if (e.type !== 'changed' || cause.change) cluster.forwarder.offer([{ on: 'incident', event: e, ...cause }]);
    };
    await commands.start();
    cleanup.unshift(() => commands.close());
    sandboxStats = () => sandbox.stats;
    cleanup.unshift(
      () => server.close(),
      () => sandbox.close(),
    );
    // BI tools' door: the same sandbox, limits and audit as POST /api/sql, over the PostgreSQL wire protocol.
    const pg =
      config.pgPort === 0
        ? null
        : await startPgDoor(
            {
              host: config.host,
              port: config.pgPort,
              maxRows: config.pgMaxRows,
              maxConnections: config.pgMaxConnections,
              maxMessageBytes: config.pgMaxMessageBytes,
              authTimeoutMs: config.pgAuthTimeoutMs,
              tlsCert: config.pgTlsCert,
              tlsKey: config.pgTlsKey,
              sandbox,
              auth,
              tokens,
              slots: sqlSlots,
            },
            log.child({ part: 'pg' }),
          );
    if (pg) cleanup.unshift(() => pg.close());
    // Saved queries promoted to the wall are re-run each tick and pushed to the walls listening.
    const liveQueries = new LiveQueries(sandbox, server.hub.io, log.child({ part: 'queries' }));

    // A fresh database with the simulator on: the city's last hours first, committed before any live message. Never
    // on a replica of a cluster: its history would be its own, not in the stream the others read.
    const backfill = config.simulate && config.simRate > 0 && config.simBackfillH > 0 && !config.replica;
    if (backfill && (await databaseIsEmpty(store.writer))) {
      const began = performance.now();
      // Its own batcher, committing large batches: a history of 24 hours is a few commits, not a hundred.
      const history = new Batcher(
        store.writer,
        { batchRows: BACKFILL_BATCH_ROWS, batchAgeMs: 60_000 },
        (c) => {
          rollups.onCommit(c);
          metrics.committed(c);
        },
        log.child({ part: 'backfill' }),
      );
      const events = await backfillSimulated({
        areas: simulatorAreas(areas),
        seed: config.simSeed,
        hours: config.simBackfillH,
        now: Date.now(),
        ingest: (msg) => history.push(msg, decodeRaw(msg, decodeOpts)),
        flush: () => history.flush(),
      });
      await history.close();
      historyCommitted = history.committedBatch;
      replica.touch(COMMIT_SIDE_TABLES);
      // The indicators over the history, before the alerts first judge: a baseline read from half-made rollups would
      // stand for the whole day.
      const rolled = performance.now();
      rollups.quiet = true;
      try {
        for (let i = 0; i < 20 && (i === 0 || rollups.dirtyWindows > 0); i++) await rollups.tick();
      } finally {
        rollups.quiet = false;
      }
      await sortRollups(store.writer);
      replica.touch([ROLLUP_TABLE]);
      log.info('simulated history rolled up', { ms: Math.round(performance.now() - rolled) });
      log.info('simulated history written', {
        hours: config.simBackfillH,
        events,
        ms: Math.round(performance.now() - began),
      });
    }
    const mqtt = await openMqtt(config, { auth, tokens, ingest }, log);
    if (mqtt.broker) cleanup.unshift(() => mqtt.broker?.close());
    if (mqtt.source) sources.push(mqtt.source);
    const { mqttUrl, mqttAuth } = mqtt;
    forwards.push(...(await openAlertSinks(config, mqttUrl, mqttAuth)));
    cleanup.unshift(...forwards.map((f) => () => f.sink.close()));
    // A graceful stop: sources stop delivering but stay connected, the batcher commits what it holds, their
    // acknowledgements go out, one last tick puts the last commits in the rollups, then the sources disconnect.
    let ticks: TickLoop | null = null;
    cleanup.unshift(
      async () => {
        accepting = false;
        for (const s of sources) await s.pause?.();
      },
      () => batcher.close(),
      async () => {
        rollups.dueNow();
        await ticks?.stop({ final: true });
      },
      async () => {
        for (const s of sources) await s.stop();
      },
    );
    if (config.natsUrl) sources.push(await openNats(config, ingest, log));

    const tick = async (): Promise<void> => {
      const changes = await rollups.tick((change) => server.hub.publishIndicators([change]));
      // A view filling from the history: its progress to the walls and consoles, and the next share at once.
      if (rollups.backfilling) {
        for (const name of rollups.backfillingViews())
          server.hub.publishView({ name, change: 'progress', ...rollups.status(name)! });
        ticks?.request();
      }
      const alertEvents = await alerts.evaluate(changes);
      if (changes.length > 0 || alertEvents.length > 0)
        replica.touch([...(changes.length > 0 ? [ROLLUP_TABLE] : []), ...(alertEvents.length > 0 ? ALERT_TABLES : [])]);
      server.hub.publishAlerts(alertEvents);
      for (const e of alertEvents) escalations.see(e);
      cluster.forwarder.offer(alertEvents.map((event): Notice => ({ on: 'alert', event })));
      // Escalation by time is decided by the leader alone, and applied by every replica as a command.
      if (cluster.role() === 'leader')
        escalateOverdue(escalations, commands, config.escalateAfterMin, Date.now(), log!.child({ part: 'alerts' }));
      void liveQueries.tick();
      const since = devicesSince;
      devicesSince = null;
      if (since !== null && server.hub.clients > 0)
        server.hub.publishDevices(await readDevices(store.reader, { now: Date.now(), receivedSince: since - 1 }));
    };
    ticks = new TickLoop(
      tick,
      { periodMs: config.tickMs, minGapMs: Math.min(config.tickMinMs, config.tickMs) },
      (err) => {
        failedTicks++;
        log!.error('tick failed', { err });
      },
    );
    // Catching up (a restart, a new replica replaying the stream): the commits come back to back and each tick would
    // recompute windows the next batch changes again; the periodic tick keeps the indicators moving meanwhile.
    afterCommit = () => {
      if (!catchingUp(sources, config.readyMaxLag)) ticks.request();
    };
    const retention = await startRetention(store, [ROLLUP_TABLE], config, log.child({ part: 'retention' }), (p) =>
      replica.pruned(p.table, p.column, p.beforeMs),
    );
    cleanup.unshift(() => retention.stop());

    // Yesterday's briefing as a PDF, emailed every morning at BRIEFING_AT to BRIEFING_TO by the leader; without an
    // outbox (no SMTP_URL) or recipients nothing is scheduled.
    const briefingSchedule = startBriefingSchedule({
      config,
      outbox,
      briefing: (q) =>
        assembleBriefing({ reader: store.reader, indicators: rollups, views, sandbox, simulated: () => simulating }, q),
      isLeader: () => cluster.role() === 'leader',
      log: log.child({ part: 'briefing' }),
    });
    if (briefingSchedule) cleanup.unshift(() => briefingSchedule.stop());

    if (config.simulate && config.simRate > 0 && !mqttUrl)
      log.warn("the simulator publishes over MQTT: set MQTT_URL (the cluster's MQTT listener) to run it on a replica");
    if (config.simulate && config.simRate > 0 && mqttUrl) {
      const simulator = await startMqttSimulator({
        url: mqttUrl,
        username: mqttAuth.username,
        password: mqttAuth.password,
        rate: config.simRate,
        seed: config.simSeed,
        areas: simulatorAreas(areas),
      });
      cleanup.unshift(() => simulator.stop());
      simulating = true;
      const registered = await registerSimulated(simulator.inventory, commands);
      log.info('Hanoi simulator publishing', {
        registered,
        rate: config.simRate,
        cameras: simulator.devices.filter((d) => d.family === 'camera').length,
        sensors: simulator.devices.filter((d) => d.family === 'sensor').length,
      });
    }

    log.info('engine ready', { url: server.url, mqtt: mqttUrl, db: store.path, views: views.length });
    let stopping: Promise<void> | null = null;
    return {
      config,
      url: server.url,
      auth,
      mqttUrl,
      store,
      batcher,
      rollups,
      server,
      pg,
      ingest,
      metrics,
      outbox,
      sources,
      async settle() {
        await batcher.flush();
        await ticks.now();
        await replica.sync();
      },
      stop() {
        stopping ??= (async () => {
          for (const step of cleanup) {
            try {
              await step();
            } catch (err) {
              log!.warn('shutdown step failed', { err });
            }
          }
          log!.info('engine stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    for (const step of cleanup) await Promise.resolve(step()).catch(() => undefined);
    throw err;
  }
}
