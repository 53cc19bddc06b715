// What the HTTP routes and the live hub may read from the running engine.
import type { Config } from '../config.ts';
import type { Connection } from '../db.ts';
import type { DecodeResult } from '../decode.ts';
import type { AreaIndex } from '../geo/index.ts';
import type { IngestStats } from '../ingest/index.ts';
import type { Sandbox } from '../query/index.ts';
import type { Rollups, ViewDef } from '../views/index.ts';
import type { RawMessage, SourceStatus } from '../../sources/source.ts';
import type { EngineMetrics } from '../metrics.ts';
import type { AlertEngine } from '../alerts/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import type { AccessOptions } from '../access/index.ts';
import type { Registry } from '../registry/index.ts';
import type { LiveViews } from '../views/live-views.ts';
import type { LiveRules } from '../alerts/live-rules.ts';
import type { BackupDoor } from './backup.ts';
import type { OpenData } from '../open/index.ts';
import type { EmailHealth, Health, ReplicaState } from '../../dashboards/shared/wire/index.ts';

/** What the engine offers POST /api/ingest: decode one body and queue it for the next batch. */
interface IngestDoor {
  /** The decoded body, or why it was not taken: the engine is stopping, or too far behind to take more now. */
  submit(msg: RawMessage): DecodeResult | 'stopping' | 'busy';
}

export interface ServeContext {
  config: Config;
  /** A connection of its own for the API's reads. */
  reader: Connection;
  sandbox: Sandbox;
  areas: AreaIndex;
  views: readonly ViewDef[];
  startedAt: number;
  ingest(): IngestStats;
  rollups(): Health['views'];
  /** Rollup rows as served (with their trust line) and the watermarks behind it. */
  indicators: Pick<Rollups, 'present' | 'watermarks' | 'removedSince'>;
  sources(): Record<string, SourceStatus>;
  /** Absolute path of the built dashboards. */
  dashboardsDir: string;
  /** POST /api/ingest hands its bodies here (absent: the route answers 503). */
  ingestDoor?: IngestDoor;
  /** Alert rules, lifecycle and incidents (absent: the alert routes are not mounted). */
  alerts?: AlertEngine;
  /** Whether this engine runs the Hanoi simulator (absent: it does not). */
  simulated?: () => boolean;
  /** Views made on the running engine (absent: the /api/views routes are not mounted). */
  liveViews?: LiveViews;
  /** Alert rules made on the running engine (absent: the /api/rules routes are not mounted). */
  liveRules?: LiveRules;
  /** Who owns each device, what it is and whether it is in service. */
  registry: Registry;
  /** People's changes (alert actions, checklist steps, saved queries): applied by every replica in the same order. */
  commands: CommandBus;
  /** Access control: whether tokens are required, where they are kept, the rate limit (absent: open, as on loopback). */
  access?: AccessOptions & { maxSocketClients: number };
  /** The analysts' replica: steps taken and failed, and when it last came in step (absent: analysts query this database). */
  replica?: () => { steps: number; failures: number; lastStepAt: number };
  /** This engine as a replica: role, readiness, lag (GET /api/ready and health). */
  replicaState: () => ReplicaState;
  /** GET /metrics (absent: 404). */
  metrics?: Pick<EngineMetrics, 'text' | 'contentType'>;
  /** The open-data portal's publications (absent: neither the portal nor /api/open is mounted). */
  open?: OpenData;
  /** The email outbox's counts (absent: no SMTP_URL, health says `configured: false`). */
  email?: () => EmailHealth;
  /** Consistent backups of the running engine, for `ioc backup` (absent: the backup routes are not mounted). */
  backup?: BackupDoor;
}
