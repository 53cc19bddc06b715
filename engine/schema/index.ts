// The event families of the wire contract, each one definition: its schema, its table and columns, the source its
// topic names, who may read it, what is folded from it. Decoding, the fast check, the tables, the catalogue, the
// replica, the device layer and the README's wire table follow from this list: adding a family is adding an entry.
import type { z } from 'zod';
import { CameraEvent, cameraShape } from './camera.ts';
import { SensorEvent, sensorKnownKeys, sensorShape } from './sensor.ts';
import { ServiceEvent, serviceShape } from './service.ts';
import { SecurityEvent, securityShape } from './security.ts';
import { FeedbackEvent, feedbackShape } from './feedback.ts';
import { deriveColumns } from './derive.ts';
import { cameraColumns, sensorColumns, serviceColumns, type Column } from './tables.ts';

export const FAMILIES = ['camera', 'sensor', 'service', 'security', 'feedback'] as const;
export type Family = (typeof FAMILIES)[number];

/** Roles named by a family's `readers` (the access module's own list includes them). */
export type ReaderRole = 'admin' | 'security';

export interface FamilyDef<E> {
  family: Family;
  table: string;
  schema: z.ZodType<E, unknown>;
  /** The wire fields, by name: required and optional ones (the README's wire table is checked against them). */
  shape: Readonly<Record<string, z.ZodType>>;
  known: ReadonlySet<string>;
  columns: readonly Column<E>[];
  /** Nested objects whose unknown keys are kept in `extra` too. */
  nested: readonly string[];
  /**
   * The source the topic names (`city/<family>/<source>`), as it is registered in `devices`: the wire field, and
   * its id and kind as SQL over the family's columns.
   */
  source: { field: string; id: string; kind: string };
  /** An event must say where it happened: an `area` code, or `lat` and `lon`. */
  placeRequired: boolean;
  /** Only these roles read the raw table and its folded state; absent: everyone who may analyse. */
  readers?: readonly ReaderRole[];
  /** Whether aggregates of it may be published as open data. */
  publishable: boolean;
  /** The state folded from its events in each batch's transaction (dossiers, incidents, reports): its table. */
  folded?: string;
  /** Its sources on the wall's device layer: each one's headline value (SQL over its columns) and the levels that colour it. */
  layer?: DeviceLayer;
  /** Views the engine makes over its tables: they hold its rows, so they are read as its tables are. */
  views?: readonly string[];
}

/** A family's sources as points on the map: placed where their newest event was, coloured by their headline value. */
export interface DeviceLayer {
  /** SQL over the family's columns: the kind a source shows as (a headline per kind). */
  kind: string;
  /** SQL over the family's columns: the value the point is coloured by. */
  value: string;
  /** Per kind: the unit, and the level at which the value is a warning or an alert (dir 1: higher is worse). */
  headline: Readonly<Record<string, { unit: string; warn: number; alert: number; dir: 1 | -1 }>>;
}

export type EventOf<F extends Family> = F extends 'camera'
  ? CameraEvent
  : F extends 'sensor'
    ? SensorEvent
    : F extends 'service'
      ? ServiceEvent
      : F extends 'security'
        ? SecurityEvent
        : FeedbackEvent;

const keysOf = (shape: object): ReadonlySet<string> => new Set(Object.keys(shape));

export const FAMILY_DEFS = {
  camera: {
    family: 'camera',
    table: 'camera_events',
    schema: CameraEvent,
    shape: cameraShape,
    known: keysOf(cameraShape),
    columns: cameraColumns,
    nested: [],
    source: { field: 'cameraId', id: 'camera_id', kind: "'camera'" },
    placeRequired: true,
    publishable: true,
    layer: {
      kind: "'camera'",
      value: 'avg_speed_kmh',
      headline: { camera: { unit: 'km/h', warn: 20, alert: 15, dir: -1 } },
    },
  },
  sensor: {
    family: 'sensor',
    table: 'sensor_events',
    schema: SensorEvent,
    shape: sensorShape,
    known: sensorKnownKeys,
    columns: sensorColumns,
    nested: ['metrics'],
    source: { field: 'sensorId', id: 'sensor_id', kind: 'kind' },
    placeRequired: true,
    publishable: true,
    layer: {
      kind: 'kind',
      value: `CASE kind WHEN 'air' THEN pm25 WHEN 'water' THEN water_level_cm WHEN 'noise' THEN laeq_db
        WHEN 'weather' THEN temperature_c WHEN 'network' THEN down_mbps END`,
      headline: {
        air: { unit: 'µg/m³', warn: 50, alert: 80, dir: 1 },
        water: { unit: 'cm', warn: 30, alert: 50, dir: 1 },
        noise: { unit: 'dB(A)', warn: 70, alert: 80, dir: 1 },
        weather: { unit: '°C', warn: 37, alert: 40, dir: 1 },
        network: { unit: 'Mbps', warn: 40, alert: 20, dir: -1 },
      },
    },
  },
  service: {
    family: 'service',
    table: 'service_events',
    schema: ServiceEvent,
    shape: serviceShape,
    known: keysOf(serviceShape),
    columns: serviceColumns,
    nested: [],
    source: { field: 'agency', id: 'agency', kind: "'agency'" },
    placeRequired: false,
    publishable: true,
    folded: 'dossiers',
  },
  security: {
    family: 'security',
    table: 'security_events',
    schema: SecurityEvent,
    shape: securityShape,
    known: keysOf(securityShape),
    columns: deriveColumns<SecurityEvent>(securityShape),
    nested: [],
    // A tool that does not name itself is counted under the agency it reports on.
    source: { field: 'source', id: 'coalesce(source, agency)', kind: "'siem'" },
    placeRequired: false,
    readers: ['admin', 'security'],
    publishable: false,
    folded: 'security_incidents',
    views: ['security_agency_stats'],
  },
  feedback: {
    family: 'feedback',
    table: 'feedback_events',
    schema: FeedbackEvent,
    shape: feedbackShape,
    known: keysOf(feedbackShape),
    columns: deriveColumns<FeedbackEvent>(feedbackShape),
    nested: [],
    source: { field: 'channel', id: 'channel', kind: "'channel'" },
    placeRequired: true,
    publishable: true,
    folded: 'feedback_reports',
  },
} as const satisfies { [F in Family]: FamilyDef<EventOf<F>> };

export function isFamily(s: string): s is Family {
  return (FAMILIES as readonly string[]).includes(s);
}

/**
 * Tables only some roles may read, with those roles: a family's raw table, its folded state and the views over them.
 * The sandbox, the PostgreSQL door, the catalogue, the run-time views and the MQTT gate hold to it.
 */
export function restrictedTables(): ReadonlyMap<string, readonly ReaderRole[]> {
  return RESTRICTED;
}

const RESTRICTED: ReadonlyMap<string, readonly ReaderRole[]> = new Map(
  FAMILIES.flatMap((f) => {
    const def: FamilyDef<unknown> = FAMILY_DEFS[f];
    if (!def.readers) return [];
    return tablesOf(def).map((t): [string, readonly ReaderRole[]] => [t, def.readers!]);
  }),
);

/** Whether `role` may read `table`: a table no family restricts is read by whoever may analyse. */
export function mayReadTable(table: string, role: string): boolean {
  const readers: readonly string[] | undefined = RESTRICTED.get(table);
  return readers === undefined || readers.includes(role);
}

/** The family a table holds, as its raw events, its folded state or a view of the engine over them; else undefined. */
export function familyOfTable(table: string): Family | undefined {
  return FAMILIES.find((f) => tablesOf(FAMILY_DEFS[f]).includes(table));
}

/** Every relation holding a family's rows: its raw table, its folded state and the engine's views over them. */
function tablesOf(def: FamilyDef<unknown>): string[] {
  return [def.table, ...(def.folded ? [def.folded] : []), ...(def.views ?? [])];
}

/**
 * Families whose every trace is open to whoever may analyse: sources, day counts and data quality are kept for these
 * only (a restricted family's sources and volumes are its readers' business).
 */
export const OPEN_FAMILIES: readonly Family[] = FAMILIES.filter(
  (f) => (FAMILY_DEFS[f] as FamilyDef<unknown>).readers === undefined,
);

/** Families, as words for messages: "camera, sensor, service, security or feedback". */
export const FAMILY_LIST = `${FAMILIES.slice(0, -1).join(', ')} or ${FAMILIES.at(-1)}`;

export { METRICS } from './sensor.ts';
export type { Column, Decoded, Cell, SqlType } from './tables.ts';
