// Every camera and sensor the wall shows, as typed columns that deck.gl reads directly (no object per device per frame).
import type { Table } from 'apache-arrow';
import type { Device, DeviceStatus } from '../shared/wire/index.ts';
import { STATUS_COLORS } from './colors.ts';

export const STATUSES: readonly DeviceStatus[] = ['ok', 'warn', 'alert', 'silent'];
const STATUS_INDEX: Record<DeviceStatus, number> = { ok: 0, warn: 1, alert: 2, silent: 3 };
/** A device that has not reported for this long is silent, as the engine says too. */
const SILENT_AFTER_MS = 10 * 60_000;

/** What a hover card or the hex layer needs of one entity. */
export interface EntityView {
  index: number;
  id: string;
  family: 'camera' | 'sensor';
  kind: string;
  area: string | null;
  unit: string | null;
  lon: number;
  lat: number;
  value: number | null;
  status: DeviceStatus;
  lastTs: number;
  /** The owner agency's name (else its code), from the registry; null when the device is not registered. */
  agency: string | null;
  maintenance: Device['maintenance'];
}

export class EntityBuffer {
  length = 0;
  /** Bumps on every change: deck.gl's update trigger and the legends' cache key. */
  version = 0;
  /** Bumps only when positions change (new entities), so the hex layer re-bins only then. */
  positionsVersion = 0;
  private capacity = 0;
  ids: string[] = [];
  kinds: string[] = [];
  areas: (string | null)[] = [];
  units: (string | null)[] = [];
  agencies: (string | null)[] = [];
  maintenance: Device['maintenance'][] = [];
  families = new Uint8Array(0);
  positions = new Float64Array(0);
  values = new Float64Array(0);
  lastTs = new Float64Array(0);
  statuses = new Uint8Array(0);
  colors = new Uint8Array(0);
  radii = new Float32Array(0);
  readonly counts = [0, 0, 0, 0];
  private readonly byId = new Map<string, number>();

  constructor(private radius = 4) {}

  private grow(min: number): void {
    if (min <= this.capacity) return;
    const cap = Math.max(min, Math.ceil(this.capacity * 1.5), 256);
    const copy = <T extends Float64Array | Float32Array | Uint8Array>(
      old: T,
      size: number,
      make: (n: number) => T,
    ): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.families = copy(this.families, cap, (n) => new Uint8Array(n));
    this.positions = copy(this.positions, cap * 2, (n) => new Float64Array(n));
    this.values = copy(this.values, cap, (n) => new Float64Array(n));
    this.lastTs = copy(this.lastTs, cap, (n) => new Float64Array(n));
    this.statuses = copy(this.statuses, cap, (n) => new Uint8Array(n));
    this.colors = copy(this.colors, cap * 4, (n) => new Uint8Array(n));
    this.radii = copy(this.radii, cap, (n) => new Float32Array(n));
    this.capacity = cap;
  }

  private slot(id: string): number {
    let i = this.byId.get(id);
    if (i === undefined) {
      i = this.length++;
      this.grow(this.length);
      this.byId.set(id, i);
      this.ids[i] = id;
      this.statuses[i] = 255;
      this.positionsVersion++;
    }
    return i;
  }

  private setStatus(i: number, code: number): void {
    const old = this.statuses[i]!;
    if (old === code) return;
    if (old !== 255) this.counts[old]!--;
    this.counts[code]!++;
    this.statuses[i] = code;
    const [r, g, b, a] = STATUS_COLORS[STATUSES[code]!];
    this.colors.set([r, g, b, a], i * 4);
    this.radii[i] = this.radiusFor(i);
  }

  private radiusFor(i: number): number {
    const base = this.families[i] === 0 ? this.radius : this.radius * 0.85;
    const s = this.statuses[i];
    return s === 2 ? base * 1.6 : s === 1 ? base * 1.25 : base;
  }

  setRadius(radius: number): void {
    if (radius === this.radius) return;
    this.radius = radius;
    for (let i = 0; i < this.length; i++) this.radii[i] = this.radiusFor(i);
    this.version++;
  }

  /** One device from JSON (the live `devices` event); moves it if it moved. */
  upsert(d: Device): void {
    const i = this.slot(d.id);
    const fam = d.family === 'camera' ? 0 : 1;
    this.families[i] = fam;
    this.kinds[i] = d.kind;
    this.areas[i] = d.area;
    this.units[i] = d.unit;
    this.agencies[i] = d.agencyName ?? d.agency;
    this.maintenance[i] = d.maintenance;
    if (this.positions[i * 2] !== d.lon || this.positions[i * 2 + 1] !== d.lat) {
      this.positions[i * 2] = d.lon;
      this.positions[i * 2 + 1] = d.lat;
      this.positionsVersion++;
    }
    this.values[i] = d.value ?? Number.NaN;
    this.lastTs[i] = Date.parse(d.lastTs);
    this.setStatus(i, STATUS_INDEX[d.status]);
    this.radii[i] = this.radiusFor(i);
  }

  upsertMany(devices: readonly Device[]): void {
    for (const d of devices) this.upsert(d);
    if (devices.length) this.version++;
  }

  /**
   * Columns of an Arrow table: the full layer (id, family, kind, area, unit, agency, maintenance, lon, lat, value,
   * status, lastTs) or a
   * live update holding only id, value, status and lastTs of the devices that changed.
   */
  applyArrow(table: Table): void {
    const col = (name: string) => table.getChild(name);
    const ids = col('id');
    if (!ids) return;
    const lon = col('lon');
    const lat = col('lat');
    const value = col('value');
    const status = col('status');
    const last = col('lastTs');
    const family = col('family');
    const kind = col('kind');
    const area = col('area');
    const unit = col('unit');
    const agency = col('agency');
    const maintenance = col('maintenance');
    const n = table.numRows;
    let moved = false;
    this.grow(this.length + n);
    for (let r = 0; r < n; r++) {
      const i = this.slot(ids.get(r) as string);
      if (family) this.families[i] = family.get(r) === 'camera' ? 0 : 1;
      if (kind) this.kinds[i] = kind.get(r) as string;
      if (area) this.areas[i] = area.get(r) as string | null;
      if (unit) this.units[i] = unit.get(r) as string | null;
      if (agency) this.agencies[i] = agency.get(r) as string | null;
      if (maintenance) this.maintenance[i] = maintenance.get(r) as Device['maintenance'];
      if (lon && lat) {
        const x = lon.get(r) as number;
        const y = lat.get(r) as number;
        if (this.positions[i * 2] !== x || this.positions[i * 2 + 1] !== y) {
          this.positions[i * 2] = x;
          this.positions[i * 2 + 1] = y;
          moved = true;
        }
      }
      if (value) this.values[i] = (value.get(r) as number | null) ?? Number.NaN;
      if (last) this.lastTs[i] = last.get(r) as number;
      if (status) this.setStatus(i, status.get(r) as number);
    }
    // Only a device that moved (or appeared, in slot()) re-bins the H3 layers.
    if (moved) this.positionsVersion++;
    if (n) this.version++;
  }

  /** A REST snapshot is the whole truth: what it does not list is dropped. */
  replace(table: Table): void {
    this.clear();
    this.applyArrow(table);
  }

  clear(): void {
    this.length = 0;
    this.byId.clear();
    this.ids = [];
    this.counts.fill(0);
    this.version++;
    this.positionsVersion++;
  }

  /** Devices quiet for too long turn silent on the wall too, without waiting for the next snapshot. */
  ageOut(now: number): void {
    let changed = false;
    for (let i = 0; i < this.length; i++) {
      if (this.statuses[i] !== 3 && now - this.lastTs[i]! > SILENT_AFTER_MS) {
        this.setStatus(i, 3);
        changed = true;
      }
    }
    if (changed) this.version++;
  }

  view(i: number): EntityView | null {
    if (i < 0 || i >= this.length) return null;
    const v = this.values[i]!;
    return {
      index: i,
      id: this.ids[i]!,
      family: this.families[i] === 0 ? 'camera' : 'sensor',
      kind: this.kinds[i] ?? '',
      area: this.areas[i] ?? null,
      unit: this.units[i] ?? null,
      lon: this.positions[i * 2]!,
      lat: this.positions[i * 2 + 1]!,
      value: Number.isNaN(v) ? null : v,
      status: STATUSES[this.statuses[i]!] ?? 'ok',
      lastTs: this.lastTs[i]!,
      agency: this.agencies[i] ?? null,
      maintenance: this.maintenance[i] ?? null,
    };
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Indices of the devices in warning or alert, drawn again on top so a healthy neighbour never hides them. */
  attention(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.statuses[i] === 1 || this.statuses[i] === 2) out.push(i);
    return out.sort((a, b) => this.statuses[a]! - this.statuses[b]!);
  }
}
