// The device registry in DuckDB: one row per device, written in bulk (a staged chunk, one upsert), read by the live
// device layer, the data-quality views and the briefing, and copied to the analysts' replica like any table.
import type { Connection, Database } from '../db.ts';
import { EngineError } from '../errors.ts';
import { Serial } from '../query/serial.ts';
import { timestampParam } from '../sql/index.ts';
import type { ImportRow } from './csv-import.ts';
import type { DeviceEntry, Maintenance, RegisteredDevice } from './entry.ts';

export const REGISTRY_TABLE = 'device_registry';
const STAGE = 'device_registry_stage';

const FIELDS = ['id', 'family', 'agency', 'agency_name', 'model', 'installed_on', 'maintenance', 'area'] as const;

/** What the engine has seen of a device, registered or not. */
export interface SeenDevice {
  family: string;
  kind: string | null;
  area: string | null;
  firstSeen: string;
  lastSeen: string;
}

export interface DeviceRecord extends Partial<RegisteredDevice> {
  id: string;
  registered: boolean;
  seen: SeenDevice[];
}

interface Row {
  id: string;
  family: RegisteredDevice['family'];
  agency: string;
  agency_name: string | null;
  model: string | null;
  installed_on: string | null;
  maintenance: Maintenance;
  area: string | null;
  updated_at: string;
  updated_by: string;
}

const ISO = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

export async function createRegistryTable(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${REGISTRY_TABLE} (id VARCHAR PRIMARY KEY, family VARCHAR NOT NULL,
    agency VARCHAR NOT NULL, agency_name VARCHAR, model VARCHAR, installed_on DATE, maintenance VARCHAR NOT NULL,
    area VARCHAR, updated_at TIMESTAMPTZ NOT NULL, updated_by VARCHAR NOT NULL)`);
}

export class Registry {
  private readonly serial = new Serial();

  private constructor(
    private readonly conn: Connection,
    private readonly onChange: () => void,
  ) {}

  /** Its own connection: a large import never waits behind a batch commit's statements, nor they behind it. */
  static async open(db: Database, onChange: () => void = () => undefined): Promise<Registry> {
    const conn = await db.connect();
    await createRegistryTable(conn);
    await conn.run(`CREATE TEMP TABLE ${STAGE} (${FIELDS.map((f) => `${f} VARCHAR`).join(', ')})`);
    return new Registry(conn, onChange);
  }

  /**
   * Registers or replaces the devices, all in one transaction; with `keep`, a device already registered keeps its
   * entry (the simulator registers its own devices without undoing what people changed). Returns how many changed.
   */
  async put(rows: readonly ImportRow[], by: string, at: number, opts: { keep?: boolean } = {}): Promise<number> {
    if (rows.length === 0) return 0;
    const columns = FIELDS.map((f) => rows.map((r) => cell(r, f)));
    const upsert = opts.keep
      ? 'DO NOTHING'
      : `DO UPDATE SET ${FIELDS.filter((f) => f !== 'id')
          .concat(['updated_at', 'updated_by'] as never[])
          .map((f) => `${f} = excluded.${f}`)
          .join(', ')}`;
    const changed = await this.serial.run(() =>
      this.conn.transaction(async () => {
        await this.conn.run(`DELETE FROM ${STAGE}`);
        await this.conn.appendColumns(
          STAGE,
          FIELDS.map(() => 'VARCHAR' as const),
          columns,
          rows.length,
        );
        return this.conn.run(
          `INSERT INTO ${REGISTRY_TABLE}
           SELECT id, family, agency, agency_name, model, installed_on::DATE, maintenance, area, $at::TIMESTAMPTZ, $by FROM ${STAGE}
           ON CONFLICT (id) ${upsert}`,
          { at: timestampParam(at), by },
        );
      }),
    );
    if (changed > 0) this.onChange();
    return changed;
  }

  async remove(id: string): Promise<void> {
    const n = await this.serial.run(() => this.conn.run(`DELETE FROM ${REGISTRY_TABLE} WHERE id = $id`, { id }));
    if (n === 0) throw new EngineError('not_found', `device "${id}" is not registered`);
    this.onChange();
  }

  /** The device's entry and what the engine saw of it; not found when it is neither registered nor seen. */
  async describe(id: string): Promise<DeviceRecord> {
    const [rows, seen] = await this.serial.run(async () => [
      await this.conn.objects<Row>(
        `SELECT * EXCLUDE (installed_on, updated_at), installed_on::VARCHAR AS installed_on, ${ISO('updated_at')} AS updated_at
         FROM ${REGISTRY_TABLE} WHERE id = $id`,
        { id },
      ),
      await this.conn.objects<SeenDevice>(
        `SELECT family, kind, area, ${ISO('first_seen')} AS "firstSeen", ${ISO('last_seen')} AS "lastSeen"
         FROM devices WHERE id = $id ORDER BY family`,
        { id },
      ),
    ]);
    const row = rows[0];
    if (!row && seen.length === 0)
      throw new EngineError('not_found', `no device "${id}": it is neither registered nor has it sent an event`);
    return row ? { ...fromRow(row), registered: true, seen } : { id, registered: false, seen };
  }
}

function cell(r: ImportRow, f: (typeof FIELDS)[number]): string | null {
  switch (f) {
    case 'agency_name':
      return r.agencyName;
    case 'installed_on':
      return r.installedOn;
    default:
      return r[f];
  }
}

function fromRow(r: Row): RegisteredDevice {
  const entry: DeviceEntry = {
    family: r.family,
    agency: r.agency,
    agencyName: r.agency_name,
    model: r.model,
    installedOn: r.installed_on,
    maintenance: r.maintenance,
    area: r.area,
  };
  return { id: r.id, ...entry, updatedAt: r.updated_at, updatedBy: r.updated_by };
}
