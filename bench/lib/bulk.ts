// The fastest bulk path alone: the same camera rows appended to DuckDB through data chunks, nothing else (bench/append.ts's chunk path).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BOOLEAN,
  DOUBLE,
  INTEGER,
  TIMESTAMPTZ,
  VARCHAR,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { decodeMessage, type DecodeOptions } from '../../engine/decode.ts';
import { loadAreas } from '../../engine/geo/index.ts';
import { FAMILY_DEFS, type Cell, type Column, type SqlType } from '../../engine/schema/index.ts';
import { cameras, message, nowStamp } from './events.ts';

const CHUNK = 2048;
const TYPE: Record<SqlType, DuckDBType> = { VARCHAR, DOUBLE, INTEGER, BOOLEAN, TIMESTAMPTZ, JSON: VARCHAR };

/** Rows/s of appending `events` camera rows (built from the same messages the publishers send) to a table of the engine's columns. */
export async function bulkAppendRate(events: number): Promise<{ rate: number; seconds: number }> {
  const areas = await loadAreas();
  const cams = await cameras();
  const opts: DecodeOptions = {
    maxPayloadBytes: 1 << 24,
    maxFutureMs: 3_600_000,
    locate: (lon, lat) => areas.locate(lon, lat),
  };
  const spec = FAMILY_DEFS.camera.columns as readonly Column<unknown>[];
  const columns: Cell[][] = spec.map(() => []);
  const stamp = nowStamp();
  for (let m = 0; m * 100 < events; m++) {
    const decoded = decodeMessage(
      'camera',
      Buffer.from(message('bulk', m, 100, stamp, cams, '/').payload),
      Date.now(),
      opts,
    );
    for (const row of decoded.rows) for (let c = 0; c < spec.length; c++) columns[c]!.push(spec[c]!.get(row));
  }
  const rows = columns[0]!.length;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-bulk-'));
  const db = await DuckDBInstance.create(path.join(dir, 'bulk.duckdb'), { threads: '2' });
  const con = await db.connect();
  try {
    await con.run(`CREATE TABLE camera_events (${spec.map((c) => `${c.name} ${c.type}`).join(', ')})`);
    const types = spec.map((c) => TYPE[c.type]);
    const started = performance.now();
    const appender = await con.createAppender('camera_events');
    const chunk = DuckDBDataChunk.create(types, CHUNK);
    for (let start = 0; start < rows; start += CHUNK) {
      const end = Math.min(start + CHUNK, rows);
      if (chunk.rowCount !== end - start) chunk.rowCount = end - start;
      for (let c = 0; c < spec.length; c++) {
        const slice = columns[c]!.slice(start, end);
        chunk.setColumnValues(
          c,
          (spec[c]!.type === 'TIMESTAMPTZ'
            ? slice.map((ms) => new DuckDBTimestampTZValue(BigInt(ms as number) * 1000n))
            : slice) as DuckDBValue[],
        );
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    const seconds = (performance.now() - started) / 1000;
    return { rate: rows / seconds, seconds };
  } finally {
    con.closeSync();
    db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
