import type { SimOwner } from './owners.ts';

// The simulator's public types: the areas it places devices in, its options, its devices and its handle.

export type SensorKind = 'air' | 'water' | 'noise' | 'weather' | 'network';

/** An area as the simulator needs it; the caller adapts its own area index (the simulator imports no engine code). */
export interface SimArea {
  code: string;
  name: string;
  /** [lon, lat] */
  centroid: [number, number];
  /** A point inside the area, drawn with the given generator (so placement follows the seed). */
  randomPoint(rng: () => number): [number, number];
  /** Urban wards (phường) get busier roads, hotter air and louder nights. */
  urban: boolean;
  /** People living there, roughly: devices crowd where people do. */
  people: number;
  /** The former district (its slug, such as `cau_giay`), when the areas say: flood spots cluster by basin. */
  district: string | null;
}

export interface SimOptions {
  areas: readonly SimArea[];
  /** Events per second, all devices together. */
  rate: number;
  seed?: number;
  /** Default 300. */
  cameras?: number;
  /** Default 200. */
  sensors?: number;
  /** Default: 8 city departments plus one People's Committee per area, at most 40. */
  agencies?: number;
  /** Clock for start(); generate() takes its time explicitly. */
  now?: () => number;
}

/** What a device registry would hold about a simulated device (null: the device was never registered). */
export type { SimOwner } from './owners.ts';

export type SimDevice =
  | { family: 'camera'; id: string; topic: string; area: string; lon: number; lat: number; owner: SimOwner | null }
  | {
      family: 'sensor';
      id: string;
      topic: string;
      kind: SensorKind;
      area: string;
      lon: number;
      lat: number;
      owner: SimOwner | null;
    }
  | { family: 'service'; id: string; topic: string; name: string; area: string | null; owner: SimOwner };

export interface SimMessage {
  topic: string;
  payload: Buffer;
}

export interface Simulator {
  readonly devices: readonly SimDevice[];
  /** What a device registry would list: the devices, and a few registered in service that never report. */
  readonly inventory: readonly SimDevice[];
  /** Publishes `rate` events per second in slices every ~50 ms, stamped with the clock, until stop(). */
  start(publish: (topic: string, payload: Buffer) => void): void;
  stop(): void;
  /** A deterministic batch for tests and benches: `count` events spread from `atMs` at the configured rate. */
  generate(count: number, atMs: number): SimMessage[];
}
