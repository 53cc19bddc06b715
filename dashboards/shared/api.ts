// Same-origin REST helpers: each fetch is validated against its schema before the page trusts it.
import type { z } from 'zod';
import {
  areasSchema,
  basemapSchema,
  catalogueSchema,
  seriesSchema,
  type Areas,
  type BasemapAnswer,
  type Catalogue,
  type Series,
} from './wire/index.ts';

/** A failed request, with the path it was for so the page can say what is missing. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly path: string,
    readonly status: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A GET answered in JSON, checked against its schema; the engine's own error message when it refuses. */
export async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  } catch (cause) {
    throw new ApiError(path, null, `${path}: network error`, { cause });
  }
  if (!response.ok) {
    // The engine's errors are `{error: {code, message}}`; show its message when there is one.
    const detail = await response
      .json()
      .then((body: unknown) => (body as { error?: { message?: string } }).error?.message)
      .catch(() => undefined);
    throw new ApiError(path, response.status, `${path}: HTTP ${response.status}${detail ? ` (${detail})` : ''}`);
  }
  const body: unknown = await response.json().catch((cause: unknown) => {
    throw new ApiError(path, response.status, `${path}: body is not JSON`, { cause });
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new ApiError(
      path,
      response.status,
      `${path}: unexpected shape at ${where || 'root'}: ${issue?.message ?? ''}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/** The areas of one level (`ward`: the units events land in; `district`: the former districts), or all of them. */
export function fetchAreas(level?: 'ward' | 'district', signal?: AbortSignal): Promise<Areas> {
  return getJson(level ? `/api/areas?level=${level}` : '/api/areas', areasSchema, signal);
}

export function fetchCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  return getJson('/api/indicators', catalogueSchema, signal);
}

export interface SeriesQuery {
  area?: string;
  from?: Date;
  to?: Date;
  /** Re-bucket to coarser windows with the view's merge rule, e.g. "5m", "1h". */
  bucket?: string;
}

export function fetchSeries(name: string, query: SeriesQuery = {}, signal?: AbortSignal): Promise<Series> {
  const params = new URLSearchParams();
  if (query.area) params.set('area', query.area);
  if (query.from) params.set('from', query.from.toISOString());
  if (query.to) params.set('to', query.to.toISOString());
  if (query.bucket) params.set('bucket', query.bucket);
  const qs = params.toString();
  return getJson(`/api/indicators/${encodeURIComponent(name)}${qs ? `?${qs}` : ''}`, seriesSchema, signal);
}

/** The street base map the wall draws under its layers, or none (the offline outline). */
export function fetchBasemap(signal?: AbortSignal): Promise<BasemapAnswer> {
  return getJson('/api/basemap', basemapSchema, signal);
}
