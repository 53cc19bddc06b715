// An open dataset's rows leaving as CSV, JSON or Parquet: read through the analysts' sandbox as the engine itself
// (read-only, time-limited), streamed chunk by chunk, with the headers a cache and a harvester rely on.
import { createReadStream, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { JSDuckDBValueConverter, toJson, type DuckDBDataChunk } from '../db.ts';
import { FORMAT_INFO, OPEN_READER, type OpenFormat, type ReadPlan } from '../open/index.ts';
import { csvHeader, csvRows } from '../query/csv.ts';
import { staleHeader } from '../query/result-stream.ts';
import type { Sandbox } from '../query/index.ts';
import { ByteStream } from './byte-stream.ts';

/** One chunk's rows as JSON objects, comma-separated, each after the first of the document preceded by a comma. */
function jsonRows(names: readonly string[], chunk: DuckDBDataChunk, first: boolean): string {
  const rows = chunk.convertRows(JSDuckDBValueConverter);
  let out = '';
  rows.forEach((row, i) => {
    const o: Record<string, unknown> = {};
    names.forEach((n, j) => (o[n] = toJson(row[j])));
    out += `${first && i === 0 ? '' : ','}${JSON.stringify(o)}`;
  });
  return out;
}

export async function downloadResponse(
  sandbox: Sandbox,
  plan: ReadPlan,
  format: OpenFormat,
  meta: { name: string; minCount: number; headers: Record<string, string>; signal: AbortSignal },
): Promise<Response> {
  const run = { who: OPEN_READER, admin: false, params: plan.params, signal: meta.signal };
  const headers = {
    ...meta.headers,
    'content-type': format === 'csv' ? `${FORMAT_INFO.csv.media}; charset=utf-8` : FORMAT_INFO[format].media,
    'content-disposition': `attachment; filename="${meta.name}.${format}"`,
  };
  if (format === 'parquet') {
    const { file, rows, staleAsOf } = await sandbox.parquet(plan.sql, run);
    const body = createReadStream(file);
    body.once('close', () => rmSync(file, { force: true }));
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
      headers: {
        ...headers,
        'content-length': String(statSync(file).size),
        'x-row-count': String(rows),
        ...staleHeader(staleAsOf),
      },
    });
  }
  const queryId = crypto.randomUUID();
  const out = new ByteStream(() => sandbox.cancel(queryId, OPEN_READER));
  const done = sandbox.stream(plan.sql, { ...run, queryId }, format, async (result) => {
    const names = result.columns.map((c) => c.name);
    out.open(staleHeader(result.staleAsOf));
    let rows = 0;
    if (format === 'csv') await out.write(csvHeader(names));
    else
      await out.write(
        `{"dataset":${JSON.stringify(meta.name)},"minCount":${meta.minCount},"columns":${JSON.stringify(names)},"rows":[`,
      );
    for await (const chunk of result.chunks()) {
      await out.write(format === 'csv' ? csvRows(chunk) : jsonRows(names, chunk, rows === 0));
      rows += chunk.rowCount;
    }
    if (format === 'json') await out.write(']}');
    return { result: rows, rows };
  });
  // Errors before the first byte (a refused or broken statement) are ordinary JSON errors.
  const opened = await Promise.race([out.started, done.then(() => ({}))]);
  done.then(
    () => out.close(),
    (err: unknown) => out.fail(err),
  );
  return new Response(out.stream, { headers: { ...headers, ...opened } });
}
