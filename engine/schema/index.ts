// The event families of the wire contract: schema, stored table and known keys for each.
import type { z } from 'zod';
import { CameraEvent, cameraShape } from './camera.ts';
import { SensorEvent, sensorKnownKeys } from './sensor.ts';
import { ServiceEvent, serviceShape } from './service.ts';
import { cameraColumns, sensorColumns, serviceColumns, type Column } from './tables.ts';

export const FAMILIES = ['camera', 'sensor', 'service'] as const;
export type Family = (typeof FAMILIES)[number];

export interface FamilyDef<E> {
  family: Family;
  table: string;
  schema: z.ZodType<E, unknown>;
  known: ReadonlySet<string>;
  columns: readonly Column<E>[];
  /** Nested objects whose unknown keys are kept in `extra` too. */
  nested: readonly string[];
}

export type EventOf<F extends Family> = F extends 'camera'
  ? CameraEvent
  : F extends 'sensor'
    ? SensorEvent
    : ServiceEvent;

export const FAMILY_DEFS = {
  camera: {
    family: 'camera',
    table: 'camera_events',
    schema: CameraEvent,
    known: new Set(Object.keys(cameraShape)),
    columns: cameraColumns,
    nested: [],
  },
  sensor: {
    family: 'sensor',
    table: 'sensor_events',
    schema: SensorEvent,
    known: sensorKnownKeys,
    columns: sensorColumns,
    nested: ['metrics'],
  },
  service: {
    family: 'service',
    table: 'service_events',
    schema: ServiceEvent,
    known: new Set(Object.keys(serviceShape)),
    columns: serviceColumns,
    nested: [],
  },
} as const satisfies { [F in Family]: FamilyDef<EventOf<F>> };

export function isFamily(s: string): s is Family {
  return (FAMILIES as readonly string[]).includes(s);
}

export { METRICS } from './sensor.ts';
export type { Column, Decoded, Cell, SqlType } from './tables.ts';
