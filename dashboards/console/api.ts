// The console's calls to the engine: results as Arrow (capped for the grid), cancel, catalog, saved queries, downloads.
import { tableFromIPC, type Table } from 'apache-arrow';
import { z } from 'zod';

/** The grid shows at most this many rows; exports have no cap. */
const GRID_ROWS = 100_000;

export class SqlFailure extends Error {
  override readonly name = 'SqlFailure';
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly position: number | null,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

export interface QueryResult {
  table: Table;
  truncated: boolean;
  elapsedMs: number;
  /** When the data is as of, if the engine's copy for analysts had not caught up when the query ran. */
  staleAsOf: Date | null;
}
export type ParamValues = Record<string, string | number | boolean | null>;

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    position: z.number().optional(),
    line: z.number().optional(),
    column: z.number().optional(),
  }),
});

async function failure(res: Response): Promise<SqlFailure> {
  const parsed = errorBody.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return new SqlFailure(`HTTP ${res.status}`, 'http', res.status, null, null, null);
  const e = parsed.data.error;
  return new SqlFailure(e.message, e.code, res.status, e.position ?? null, e.line ?? null, e.column ?? null);
}

function sqlRequest(
  sql: string,
  accept: string,
  extra: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch('/api/sql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ sql, ...extra }),
    signal: signal ?? null,
  });
}

export async function runQuery(
  sql: string,
  queryId: string,
  params: ParamValues | undefined,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const started = performance.now();
  const res = await sqlRequest(
    sql,
    'application/vnd.apache.arrow.stream',
    { queryId, maxRows: GRID_ROWS, ...(params ? { params } : {}) },
    signal,
  );
  if (!res.ok) throw await failure(res);
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  const stale = res.headers.get('x-stale-as-of');
  return {
    table,
    truncated: res.headers.get('x-truncated') === 'true',
    elapsedMs: performance.now() - started,
    staleAsOf: stale ? new Date(stale) : null,
  };
}

export async function cancelQuery(queryId: string): Promise<void> {
  await fetch(`/api/sql/${encodeURIComponent(queryId)}/cancel`, { method: 'POST' }).catch(() => undefined);
}

/** Downloads the whole result (no row cap) and hands it to the browser as a file. */
export async function download(
  sql: string,
  format: 'csv' | 'parquet',
  params: ParamValues | undefined,
): Promise<number | null> {
  const accept = format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet';
  const res = await sqlRequest(sql, accept, params ? { params } : {});
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `result.${format}`;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  const rows = res.headers.get('x-row-count');
  return rows === null ? null : Number(rows);
}

const catalogSchema = z.object({
  tables: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['table', 'view']),
      rows: z.number().nullable(),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
    }),
  ),
});
export type CatalogTables = z.infer<typeof catalogSchema>['tables'];

const paramDefSchema = z.object({
  name: z.string(),
  type: z.enum(['text', 'number', 'boolean', 'time']),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export type ParamDef = z.infer<typeof paramDefSchema>;
const savedSchema = z.object({
  name: z.string(),
  title: z.object({ vi: z.string(), en: z.string() }),
  sql: z.string(),
  params: z.array(paramDefSchema),
  unit: z.string().nullable(),
  wall: z.boolean(),
  briefing: z.boolean(),
  updatedAt: z.string(),
});
export type Saved = z.infer<typeof savedSchema>;

async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw await failure(res);
  return schema.parse(await res.json());
}

export const fetchCatalog = (): Promise<CatalogTables> => getJson('/api/catalog', catalogSchema).then((c) => c.tables);
export const fetchSaved = (): Promise<Saved[]> =>
  getJson('/api/queries', z.object({ queries: z.array(savedSchema) })).then((q) => q.queries);

export async function saveQuery(q: Omit<Saved, 'updatedAt'>): Promise<Saved> {
  const res = await fetch(`/api/queries/${encodeURIComponent(q.name)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(q),
  });
  if (!res.ok) throw await failure(res);
  return savedSchema.parse(await res.json());
}

export async function deleteQuery(name: string): Promise<void> {
  const res = await fetch(`/api/queries/${encodeURIComponent(name)}`, { method: 'DELETE' });
  if (!res.ok) throw await failure(res);
}
