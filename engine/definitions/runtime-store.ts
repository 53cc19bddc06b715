// Views and alert rules created on a running engine: their text as the author sent it (the same format as the files
// under views/), kept in DuckDB so they come back at the next start, and every change audited: who, when, the text.
import type { Connection } from '../db.ts';
import { timestampParam } from '../sql/index.ts';

export const DEFINITIONS_TABLE = 'runtime_definitions';
export const DEFINITION_CHANGES_TABLE = 'definition_changes';

export type DefinitionKind = 'view' | 'rule';

export interface StoredDefinition {
  kind: DefinitionKind;
  name: string;
  text: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

const ISO = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

export class RuntimeDefinitions {
  constructor(private readonly conn: Connection) {}

  static async createTables(conn: Connection): Promise<void> {
    await conn.run(`CREATE TABLE IF NOT EXISTS ${DEFINITIONS_TABLE} (
      kind VARCHAR NOT NULL, name VARCHAR NOT NULL, text VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL, updated_by VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (kind, name))`);
    await conn.run(`CREATE TABLE IF NOT EXISTS ${DEFINITION_CHANGES_TABLE} (
      changed_at TIMESTAMPTZ NOT NULL, who VARCHAR NOT NULL, kind VARCHAR NOT NULL, action VARCHAR NOT NULL,
      name VARCHAR NOT NULL, text VARCHAR)`);
  }

  /** Every definition of a kind, in the order they were created (a view may read one made before it). */
  async list(kind: DefinitionKind): Promise<StoredDefinition[]> {
    const rows = await this.conn.objects<{
      name: string;
      text: string;
      created_by: string;
      created_at: string;
      updated_by: string;
      updated_at: string;
    }>(
      `SELECT name, text, created_by, ${ISO('created_at')} AS created_at, updated_by, ${ISO('updated_at')} AS updated_at
       FROM ${DEFINITIONS_TABLE} WHERE kind = $kind ORDER BY created_at, name`,
      { kind },
    );
    return rows.map((r) => ({
      kind,
      name: r.name,
      text: r.text,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    }));
  }

  async get(kind: DefinitionKind, name: string): Promise<StoredDefinition | undefined> {
    return (await this.list(kind)).find((d) => d.name === name);
  }

  /** Creates or replaces (keeping who created it and when) in one transaction with its audit record. */
  async put(kind: DefinitionKind, name: string, text: string, who: string, at: number): Promise<void> {
    const when = timestampParam(at);
    await this.conn.transaction(async () => {
      const [before] = await this.conn.objects<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM ${DEFINITIONS_TABLE} WHERE kind = $kind AND name = $name`,
        { kind, name },
      );
      await this.conn.run(
        `INSERT INTO ${DEFINITIONS_TABLE} VALUES ($kind, $name, $text, $who, $at::TIMESTAMPTZ, $who, $at::TIMESTAMPTZ)
         ON CONFLICT (kind, name) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        { kind, name, text, who, at: when },
      );
      await this.conn.run(
        `INSERT INTO ${DEFINITION_CHANGES_TABLE} VALUES ($at::TIMESTAMPTZ, $who, $kind, $action, $name, $text)`,
        { at: when, who, kind, action: before?.n ? 'replace' : 'create', name, text },
      );
    });
  }

  async remove(kind: DefinitionKind, name: string, who: string, at: number): Promise<void> {
    await this.conn.transaction(async () => {
      await this.conn.run(`DELETE FROM ${DEFINITIONS_TABLE} WHERE kind = $kind AND name = $name`, { kind, name });
      await this.conn.run(
        `INSERT INTO ${DEFINITION_CHANGES_TABLE} VALUES ($at::TIMESTAMPTZ, $who, $kind, 'delete', $name, NULL)`,
        { at: timestampParam(at), who, kind, name },
      );
    });
  }
}
