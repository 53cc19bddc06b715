// Saved queries: named, parameterized SQL kept in DuckDB, which the wall (live tile) and the briefing (section) run by name.
import { z } from 'zod';
import type { Connection, Params } from '../db.ts';
import { EngineError } from '../errors.ts';
import { timestampParam } from '../sql/index.ts';
import type { Serial } from './serial.ts';

export const SAVED_TABLE = 'saved_queries';

const ParamDef = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a parameter name as written after $ in the SQL'),
  type: z.enum(['text', 'number', 'boolean', 'time']).default('text'),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).default(null),
});
type ParamDef = z.infer<typeof ParamDef>;

export const SavedQuery = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower case letters, digits, _ or -, e.g. pm25_top_areas'),
  title: z
    .object({ vi: z.string().max(200).default(''), en: z.string().max(200).default('') })
    .default({ vi: '', en: '' }),
  description: z.string().max(2000).nullable().default(null),
  sql: z.string().min(1).max(100_000),
  params: z.array(ParamDef).max(20).default([]),
  unit: z.string().max(32).nullable().default(null),
  /** Promoted to a live tile on the operators' wall, re-run on every tick. */
  wall: z.boolean().default(false),
  /** Promoted to a section of the leaders' briefing. */
  briefing: z.boolean().default(false),
});
export type SavedQuery = z.infer<typeof SavedQuery>;
export interface StoredQuery extends SavedQuery {
  author: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  name: string;
  title_vi: string;
  title_en: string;
  description: string | null;
  sql: string;
  params: string;
  unit: string | null;
  wall: boolean;
  briefing: boolean;
  author: string;
  created_at: string;
  updated_at: string;
}

export class SavedQueries {
  constructor(
    private readonly conn: Connection,
    private readonly serial: Serial,
    private readonly onChange: () => void = () => undefined,
  ) {}

  static async createTable(conn: Connection): Promise<void> {
    await conn.run(`CREATE TABLE IF NOT EXISTS ${SAVED_TABLE} (
      name VARCHAR PRIMARY KEY, title_vi VARCHAR NOT NULL, title_en VARCHAR NOT NULL, description VARCHAR, sql VARCHAR NOT NULL,
      params JSON NOT NULL, unit VARCHAR, wall BOOLEAN NOT NULL, briefing BOOLEAN NOT NULL, author VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
  }

  async list(filter: { wall?: boolean; briefing?: boolean } = {}): Promise<StoredQuery[]> {
    const where = [filter.wall ? 'wall' : '', filter.briefing ? 'briefing' : ''].filter(Boolean).join(' AND ');
    const rows = await this.serial.run(() =>
      this.conn.objects<Row>(`${SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY name`),
    );
    return rows.map(fromRow);
  }

  async get(name: string): Promise<StoredQuery> {
    const rows = await this.serial.run(() => this.conn.objects<Row>(`${SELECT} WHERE name = $name`, { name }));
    if (!rows[0]) throw new EngineError('not_found', `no saved query named "${name}"; GET /api/queries lists them`);
    return fromRow(rows[0]);
  }

  /** Creates or replaces the query of that name; its creation time and author stay those of the first save. */
  async put(q: SavedQuery, author: string, at = Date.now()): Promise<StoredQuery> {
    await this.serial.run(() =>
      this.conn.run(
        `INSERT INTO ${SAVED_TABLE} VALUES ($name, $vi, $en, $description, $sql, $params, $unit, $wall, $briefing, $author, $at::TIMESTAMPTZ, $at::TIMESTAMPTZ)
       ON CONFLICT (name) DO UPDATE SET title_vi = excluded.title_vi, title_en = excluded.title_en, description = excluded.description,
         sql = excluded.sql, params = excluded.params, unit = excluded.unit, wall = excluded.wall, briefing = excluded.briefing, updated_at = excluded.updated_at`,
        {
          name: q.name,
          vi: q.title.vi,
          en: q.title.en,
          description: q.description,
          sql: q.sql,
          params: JSON.stringify(q.params),
          unit: q.unit,
          wall: q.wall,
          briefing: q.briefing,
          author,
          at: timestampParam(at),
        },
      ),
    );
    this.onChange();
    return this.get(q.name);
  }

  async remove(name: string): Promise<void> {
    const n = await this.serial.run(() => this.conn.run(`DELETE FROM ${SAVED_TABLE} WHERE name = $name`, { name }));
    if (n === 0) throw new EngineError('not_found', `no saved query named "${name}"`);
    this.onChange();
  }
}

const SELECT = `SELECT name, title_vi, title_en, description, sql, params::VARCHAR AS params, unit, wall, briefing, author,
  strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS created_at, strftime(updated_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS updated_at
  FROM ${SAVED_TABLE}`;

function fromRow(r: Row): StoredQuery {
  return {
    name: r.name,
    title: { vi: r.title_vi, en: r.title_en },
    description: r.description,
    sql: r.sql,
    params: z.array(ParamDef).parse(JSON.parse(r.params)),
    unit: r.unit,
    wall: r.wall,
    briefing: r.briefing,
    author: r.author,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The values a run binds: each declared parameter from the request, else its default, converted to its type. */
export function resolveParams(q: SavedQuery, given: Record<string, string | undefined>): Params {
  const declared = new Set(q.params.map((p) => p.name));
  for (const k of Object.keys(given)) {
    if (!declared.has(k))
      throw new EngineError(
        'bad_request',
        `query "${q.name}" has no parameter "${k}"; it takes ${[...declared].join(', ') || 'none'}`,
      );
  }
  const out: Params = {};
  for (const p of q.params) {
    const raw = given[p.name];
    if (raw === undefined) {
      out[p.name] = p.default;
      continue;
    }
    switch (p.type) {
      case 'number': {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n))
          throw new EngineError('bad_request', `parameter "${p.name}" must be a number`);
        out[p.name] = n;
        break;
      }
      case 'boolean':
        if (!['true', 'false', '1', '0'].includes(raw))
          throw new EngineError('bad_request', `parameter "${p.name}" must be true or false`);
        out[p.name] = raw === 'true' || raw === '1';
        break;
      case 'time':
        if (Number.isNaN(Date.parse(raw)))
          throw new EngineError(
            'bad_request',
            `parameter "${p.name}" must be an RFC 3339 time, e.g. 2026-11-27T08:00:00+07:00`,
          );
        out[p.name] = raw;
        break;
      case 'text':
        out[p.name] = raw;
        break;
    }
  }
  return out;
}
