// GET /api/indicators/:name?since=: the windows of one indicator changed since a moment, for a page resynchronising
// after its live feed moved to another engine.
import { ApiError } from './api.ts';
import { changedSeriesSchema, type ChangedSeries } from './wire/changes.ts';

export async function fetchChangedRows(
  name: string,
  query: { since: Date; from: Date },
  signal?: AbortSignal,
): Promise<ChangedSeries> {
  const params = new URLSearchParams({ since: query.since.toISOString(), from: query.from.toISOString() });
  const path = `/api/indicators/${encodeURIComponent(name)}?${params}`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  } catch (cause) {
    throw new ApiError(path, null, `${path}: network error`, { cause });
  }
  if (!response.ok) throw new ApiError(path, response.status, `${path}: HTTP ${response.status}`);
  const parsed = changedSeriesSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(path, response.status, `${path}: unexpected shape at ${issue?.path.join('.') || 'root'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
