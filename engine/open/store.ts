// Published datasets kept in DuckDB: each publication with who published it and when (every replica writes the same
// rows from the command stream), every change audited, and the downloads this engine served.
import type { Connection } from '../db.ts';
import { Serial } from '../query/serial.ts';
import { inStringsSql, stringsParam, timestampParam } from '../sql/index.ts';
import { Publication } from './publication.ts';

export const OPEN_TABLE = 'open_datasets';
export const OPEN_CHANGES_TABLE = 'open_changes';
/** Downloads are this engine's own doing, not people's changes: counted apart from the replicated publications. */
export const OPEN_DOWNLOADS_TABLE = 'open_downloads';

export interface StoredDataset extends Publication {
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

const ISO = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

export class OpenStore {
  private readonly serial = new Serial();

  constructor(private readonly conn: Connection) {}

  static async createTables(conn: Connection): Promise<void> {
    await conn.run(`CREATE TABLE IF NOT EXISTS ${OPEN_TABLE} (
      name VARCHAR PRIMARY KEY, publication JSON NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL,
      updated_by VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
    await conn.run(`CREATE TABLE IF NOT EXISTS ${OPEN_CHANGES_TABLE} (
      changed_at TIMESTAMPTZ NOT NULL, who VARCHAR NOT NULL, action VARCHAR NOT NULL, name VARCHAR NOT NULL, publication JSON)`);
    await conn.run(
      `CREATE TABLE IF NOT EXISTS ${OPEN_DOWNLOADS_TABLE} (name VARCHAR PRIMARY KEY, downloads BIGINT NOT NULL)`,
    );
  }

  async list(): Promise<StoredDataset[]> {
    const rows = await this.serial.run(() =>
      this.conn.objects<{
        publication: string;
        created_by: string;
        created_at: string;
        updated_by: string;
        updated_at: string;
      }>(
        `SELECT publication::VARCHAR AS publication, created_by, ${ISO('created_at')} AS created_at, updated_by,
           ${ISO('updated_at')} AS updated_at FROM ${OPEN_TABLE} ORDER BY name`,
      ),
    );
    return rows.map((r) => ({
      ...Publication.parse(JSON.parse(r.publication)),
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    }));
  }

  async get(name: string): Promise<StoredDataset | undefined> {
    return (await this.list()).find((d) => d.name === name);
  }

  /** Publishes or replaces (keeping who first published it and when), with its audit row, in one transaction. */
  async put(p: Publication, who: string, at: number): Promise<'create' | 'replace'> {
    const when = timestampParam(at);
    const publication = JSON.stringify(p);
    return this.serial.run(() =>
      this.conn.transaction(async () => {
        const [before] = await this.conn.objects<{ n: number }>(
          `SELECT count(*)::INTEGER AS n FROM ${OPEN_TABLE} WHERE name = $name`,
          { name: p.name },
        );
        const action = before?.n ? 'replace' : 'create';
        await this.conn.run(
          `INSERT INTO ${OPEN_TABLE} VALUES ($name, $publication, $who, $at::TIMESTAMPTZ, $who, $at::TIMESTAMPTZ)
           ON CONFLICT (name) DO UPDATE SET publication = excluded.publication, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at`,
          { name: p.name, publication, who, at: when },
        );
        await this.conn.run(
          `INSERT INTO ${OPEN_CHANGES_TABLE} VALUES ($at::TIMESTAMPTZ, $who, $action, $name, $publication)`,
          { at: when, who, action, name: p.name, publication },
        );
        return action;
      }),
    );
  }

  /** Withdraws a dataset; false when there was none of that name. */
  async remove(name: string, who: string, at: number): Promise<boolean> {
    return this.serial.run(() =>
      this.conn.transaction(async () => {
        const n = await this.conn.run(`DELETE FROM ${OPEN_TABLE} WHERE name = $name`, { name });
        if (n === 0) return false;
        await this.conn.run(
          `INSERT INTO ${OPEN_CHANGES_TABLE} VALUES ($at::TIMESTAMPTZ, $who, 'withdraw', $name, NULL)`,
          {
            at: timestampParam(at),
            who,
            name,
          },
        );
        return true;
      }),
    );
  }

  async downloads(): Promise<Map<string, number>> {
    const rows = await this.serial.run(() =>
      this.conn.objects<{ name: string; downloads: number }>(
        `SELECT name, downloads::DOUBLE AS downloads FROM ${OPEN_DOWNLOADS_TABLE}`,
      ),
    );
    return new Map(rows.map((r) => [r.name, Number(r.downloads)]));
  }

  async countDownload(name: string): Promise<void> {
    await this.serial.run(() =>
      this.conn.run(
        `INSERT INTO ${OPEN_DOWNLOADS_TABLE} VALUES ($name, 1) ON CONFLICT (name) DO UPDATE SET downloads = downloads + 1`,
        { name },
      ),
    );
  }

  /** When the rows of these indicator views last changed, and how many there are: what a download's ETag follows. */
  async rowsVersion(
    views: readonly string[],
    rollupTable: string,
  ): Promise<{ updatedMs: number | null; rows: number }> {
    if (views.length === 0) return { updatedMs: null, rows: 0 };
    const [r] = await this.serial.run(() =>
      this.conn.objects<{ updated: number | null; n: number }>(
        `SELECT epoch_ms(max(updated_at))::DOUBLE AS updated, count(*)::DOUBLE AS n FROM ${rollupTable}
         WHERE ${inStringsSql('view', 'views')}`,
        { views: stringsParam(views) },
      ),
    );
    return { updatedMs: r?.updated == null ? null : Number(r.updated), rows: Number(r?.n ?? 0) };
  }
}
