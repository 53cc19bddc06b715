// Analysts' routes: POST /api/sql in JSON, CSV, Parquet or Arrow IPC; cancel; the catalog; saved queries and their runs.
import { createReadStream, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  GRANTS,
  identityOf,
  requireRole,
  sqlPerToken,
  type AccessEnv,
  type Role,
  type SqlSlots,
} from '../access/index.ts';
import { ArrowStreamEncoder } from '../arrow.ts';
import { TIME_ZONE } from '../db.ts';
import { EngineError } from '../errors.ts';
import { csvHeader, csvRows } from '../query/csv.ts';
import { staleHeader } from '../query/result-stream.ts';
import { SavedQuery, resolveParams, type RunOptions, type Sandbox } from '../query/index.ts';
import type { CommandBus } from '../cluster/index.ts';
import { ByteStream } from './byte-stream.ts';
import { jsonBody, parseWith, validate } from './validate.ts';

export type SqlFormat = 'json' | 'csv' | 'parquet' | 'arrow';

export const MEDIA: Record<SqlFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};
const EXTENSION: Record<SqlFormat, string> = { json: 'json', csv: 'csv', parquet: 'parquet', arrow: 'arrows' };
/** A capped download (e.g. the console's grid) is read whole before it is sent, so it says whether it was cut. */
const MAX_CAPPED_ROWS = 1_000_000;

const QueryId = z.string().regex(/^[\w-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');
const ParamValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const SqlBody = z.object({
  sql: z.string({ message: 'is required: a string holding one SQL statement' }).min(1, 'is empty').max(100_000),
  params: z.record(z.string().regex(/^[A-Za-z_]\w*$/), ParamValue).optional(),
  queryId: QueryId.optional(),
  /** JSON: lowers the row cap below SQL_MAX_ROWS. Downloads: caps them (uncapped by default). */
  maxRows: z.number().int().min(1).max(MAX_CAPPED_ROWS).optional(),
  /** The plan of the statement (EXPLAIN), or its plan with measured times (EXPLAIN ANALYZE), instead of its rows. */
  explain: z.enum(['plan', 'analyze']).optional(),
});

/** ?format= wins over Accept; JSON when neither asks for something else. */
export function pickFormat(c: Context): SqlFormat {
  const asked = c.req.query('format');
  if (asked) {
    if (asked === 'json' || asked === 'csv' || asked === 'parquet' || asked === 'arrow') return asked;
    throw new EngineError('bad_request', 'query "format" must be json, csv, parquet or arrow');
  }
  const accept = c.req.header('accept') ?? '';
  if (accept.includes(MEDIA.arrow)) return 'arrow';
  if (accept.includes(MEDIA.parquet)) return 'parquet';
  if (accept.includes('text/csv')) return 'csv';
  return 'json';
}

/**
 * Who runs the query: the token's name and role, as authentication put them on the request; anonymous and
 * unrestricted (an admin) when AUTH is off (the loopback demo).
 */
function analyst(c: Context<AccessEnv>): { who: string; role: Role } {
  const identity = identityOf(c);
  return { who: identity.name, role: identity.role };
}

/** A saved query's name comes from the path, the rest from the body. */
const SavedName = z.object({ name: SavedQuery.shape.name });
const SavedBody = SavedQuery.omit({ name: true });
const CancelPath = z.object({ id: QueryId });
const RunQuery = z.looseObject({ maxRows: z.coerce.number().int().min(1).max(MAX_CAPPED_ROWS).optional() });

/** `perToken`: analyst queries one token may have running at once (SQL_PER_TOKEN; unset: no limit of its own). */
export function sqlRoutes(sandbox: Sandbox, commands: CommandBus, slots?: SqlSlots): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  const analysts = requireRole(...GRANTS.analyse);
  const readers = requireRole(...GRANTS.read);

  api.post('/sql', analysts, sqlPerToken(slots), jsonBody(1024 * 1024), validate('json', SqlBody), async (c) => {
    const body = c.req.valid('json');
    const queryId = body.queryId ?? c.req.header('x-query-id');
    if (queryId !== undefined) parseWith(QueryId, queryId, 'header "x-query-id"');
    const o: RunOptions = { ...analyst(c), queryId, signal: c.req.raw.signal };
    if (body.params) o.params = body.params;
    if (body.explain) o.explain = body.explain;
    return answer(c, sandbox, pickFormat(c), body.sql, o, body.maxRows, 'result');
  });

  api.post('/sql/:id/cancel', analysts, validate('param', CancelPath), (c) => {
    const { id } = c.req.valid('param');
    const { who, role } = analyst(c);
    if (!sandbox.cancel(id, who, role === 'admin'))
      throw new EngineError('not_found', `you have no query "${id}" running`);
    return c.json({ queryId: id, cancelled: true });
  });

  api.get('/catalog', analysts, async (c) => c.json(await sandbox.catalog(analyst(c).role)));

  api.get('/queries', readers, async (c) => {
    const surface = c.req.query('surface');
    if (surface !== undefined && surface !== 'wall' && surface !== 'briefing')
      throw new EngineError('bad_request', 'query "surface" must be wall or briefing');
    return c.json({ queries: await sandbox.saved.list(surface ? { [surface]: true } : {}) });
  });

  api.get('/queries/:name', readers, async (c) => c.json(await sandbox.saved.get(c.req.param('name'))));

  api.put(
    '/queries/:name',
    analysts,
    jsonBody(256 * 1024),
    validate('param', SavedName),
    validate('json', SavedBody),
    async (c) => {
      const query: SavedQuery = { ...c.req.valid('json'), ...c.req.valid('param') };
      // Through the command stream: every replica stores it, with this one's time.
      return c.json(await commands.submit({ type: 'query.put', query, author: analyst(c).who, at: Date.now() }));
    },
  );

  api.delete('/queries/:name', analysts, validate('param', SavedName), async (c) => {
    const { name } = c.req.valid('param');
    // Refused here, not in the stream, when this replica knows of no such query.
    await sandbox.saved.get(name);
    return c.json(await commands.submit({ type: 'query.delete', name, at: Date.now() }));
  });

  /** A saved query by name, its parameters from the query string (?area=ba_dinh), in any of the four formats. */
  api.get('/queries/:name/run', readers, validate('query', RunQuery), async (c) => {
    const q = await sandbox.saved.get(c.req.param('name'));
    const given: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.req.query())) if (k !== 'format' && k !== 'maxRows') given[k] = v;
    const maxRows = c.req.valid('query').maxRows;
    const o: RunOptions = { ...analyst(c), params: resolveParams(q, given), signal: c.req.raw.signal };
    return answer(c, sandbox, pickFormat(c), q.sql, o, maxRows, q.name);
  });

  return api;
}

async function answer(
  c: Context,
  sandbox: Sandbox,
  format: SqlFormat,
  sql: string,
  o: RunOptions,
  maxRows: number | undefined,
  name: string,
): Promise<Response> {
  switch (format) {
    case 'json': {
      const run: RunOptions = { ...o };
      if (maxRows !== undefined) run.maxRows = maxRows;
      return c.json(await sandbox.run(sql, run));
    }
    case 'parquet': {
      const { file, rows, staleAsOf } = await sandbox.parquet(sql, o);
      const body = createReadStream(file);
      body.once('close', () => rmSync(file, { force: true }));
      return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
        headers: {
          ...download(format, name),
          'content-length': String(statSync(file).size),
          'x-row-count': String(rows),
          ...staleHeader(staleAsOf),
        },
      });
    }
    case 'csv':
    case 'arrow':
      return streamed(sandbox, format, sql, o, maxRows, name);
    default: {
      const never: never = format;
      throw new EngineError('bad_request', `unknown format ${String(never)}`);
    }
  }
}

function download(format: SqlFormat, name: string): Record<string, string> {
  return {
    'content-type': MEDIA[format],
    'content-disposition': `attachment; filename="${name}.${EXTENSION[format]}"`,
  };
}

/**
 * CSV and Arrow leave chunk by chunk as DuckDB produces them. Errors found before the first byte (refused or
 * broken SQL) are ordinary JSON errors; with `maxRows` the capped result is read first, so headers can say whether
 * it was cut (x-truncated).
 */
async function streamed(
  sandbox: Sandbox,
  format: 'csv' | 'arrow',
  sql: string,
  o: RunOptions,
  maxRows: number | undefined,
  name: string,
): Promise<Response> {
  const queryId = o.queryId ?? crypto.randomUUID();
  const out = new ByteStream(() => sandbox.cancel(queryId, o.who ?? 'anonymous'));
  const done = sandbox.stream(sql, { ...o, queryId }, format, async (result) => {
    const arrow = format === 'arrow' ? new ArrowStreamEncoder(result.columns, TIME_ZONE) : null;
    const encode = (chunk: Parameters<ArrowStreamEncoder['batch']>[0], rows?: number): Uint8Array | string =>
      arrow ? arrow.batch(chunk, rows) : csvRows(chunk, rows);
    const header = arrow ? arrow.header() : csvHeader(result.columns.map((col) => col.name));
    let rows = 0;
    if (maxRows !== undefined) {
      const kept: { chunk: Parameters<typeof encode>[0]; rows: number }[] = [];
      let truncated = false;
      for await (const chunk of result.chunks()) {
        if (rows >= maxRows) {
          truncated = true;
          break;
        }
        const take = Math.min(chunk.rowCount, maxRows - rows);
        kept.push({ chunk, rows: take });
        rows += take;
        if (take < chunk.rowCount) {
          truncated = true;
          break;
        }
      }
      out.open({ 'x-row-count': String(rows), 'x-truncated': String(truncated), ...staleHeader(result.staleAsOf) });
      await out.write(header);
      for (const k of kept) await out.write(encode(k.chunk, k.rows));
    } else {
      out.open(staleHeader(result.staleAsOf));
      await out.write(header);
      for await (const chunk of result.chunks()) {
        await out.write(encode(chunk));
        rows += chunk.rowCount;
      }
    }
    if (arrow) await out.write(ArrowStreamEncoder.end());
    return { result: rows, rows };
  });
  const headers = await Promise.race([out.started, done.then(() => ({}))]);
  done.then(
    () => out.close(),
    (err: unknown) => out.fail(err),
  );
  return new Response(out.stream, { headers: { ...download(format, name), 'x-query-id': queryId, ...headers } });
}
