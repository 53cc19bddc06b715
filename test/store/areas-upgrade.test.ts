// Upgrading a database written by the release whose areas were the 30 districts (test/fixtures/district-release.duckdb.gz:
// cameras and air sensors at five spots, a noise sensor in Hải Phòng, dossiers naming a district and no position, 30
// minutes from 08:00 on 5 December 2026, rollups computed). Its events are placed again in the 126 wards; what named a
// district without a position, and the rollups of windows whose raw events are gone, become former_… rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { loadAreas, type AreaIndex } from '../../engine/geo/index.ts';
import type { Logger } from '../../engine/log.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/district-release.duckdb.gz', import.meta.url));
const T = Date.parse('2026-12-05T08:00:00+07:00');
const SPOTS: Record<string, [number, number]> = {
  hoan_kiem_lake: [105.8524, 21.0287],
  ba_dinh_square: [105.8368, 21.0368],
  cau_giay: [105.7938, 21.0308],
  ba_vi: [105.37, 21.08],
  long_bien: [105.8936, 21.0465],
};
/** The first five minutes' raw events are removed before the upgrade, as retention would have: archived windows. */
const ARCHIVED_UNTIL = T + 5 * 60_000;

describe('upgrading a database of the district release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-upgrade-'));
  let engine: TestEngine;
  let wards: AreaIndex;
  const warnings: string[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg) => warnings.push(msg),
    error: (msg) => warnings.push(msg),
    child: () => log,
  };
  const query = async <T>(sql: string): Promise<T[]> => (await engine.sql(sql)) as T[];

  beforeAll(async () => {
    const file = join(dir, 'ioc.duckdb');
    writeFileSync(file, gunzipSync(readFileSync(FIXTURE)));
    const db = await Database.open(file);
    const conn = await db.connect();
    for (const table of ['camera_events', 'sensor_events', 'service_events'])
      await conn.run(`DELETE FROM ${table} WHERE ts < make_timestamptz(${ARCHIVED_UNTIL * 1000})`);
    conn.close();
    db.close();
    wards = await loadAreas();
    engine = await startTestEngine({ dataDir: dir, retainRawDays: 3650 }, { log });
    await engine.settle();
  }, 120_000);
  afterAll(async () => {
    await engine?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('places positioned events in the ward holding them, and those outside the city as outside', async () => {
    expect(warnings.filter((m) => m.includes('placed again'))).toHaveLength(1);
    const rows = await query<[string, string, number]>(
      `SELECT camera_id, area, count(*) FROM camera_events GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows).toEqual(
      Object.entries(SPOTS)
        .map(([name, [lon, lat]]) => [`cam-${name}`, wards.locate(lon, lat), 25])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // The district release put Ba Đình square in Hoàn Kiếm; the real boundaries do not.
    expect(rows.find((r) => r[0] === 'cam-ba_dinh_square')?.[1]).toBe('ba_dinh');
    expect(await query(`SELECT DISTINCT area FROM sensor_events WHERE sensor_id = 'noise-haiphong'`)).toEqual([
      ['outside'],
    ]);
    // The data-quality view counts them against their sensor.
    expect(await query(`SELECT sum(outside)::INTEGER FROM data_quality WHERE id = 'noise-haiphong'`)).toEqual([[25]]);
  });

  it('moves what named a district without a position to the former district', async () => {
    expect(await query(`SELECT area, count(*) FROM service_events GROUP BY ALL ORDER BY ALL`)).toEqual([
      ['former_ba_dinh', 25],
      ['former_ba_vi', 25],
      ['former_hoan_kiem', 25],
    ]);
    expect(await query(`SELECT area FROM dossiers WHERE dossier_id = 'HS-ba_vi-7'`)).toEqual([['former_ba_vi']]);
  });

  it('keeps archived windows readable under the former districts, and recomputes the others per ward and district', async () => {
    const archived = await query<[string]>(
      `SELECT DISTINCT area FROM traffic_flow WHERE t < make_timestamptz(${ARCHIVED_UNTIL * 1000}) ORDER BY 1`,
    );
    expect(archived.map((r) => r[0])).toEqual([
      'former_ba_vi',
      'former_cau_giay',
      'former_hoan_kiem',
      'former_long_bien',
      'hanoi',
    ]);
    const from = new Date(ARCHIVED_UNTIL).toISOString();
    const to = new Date(T + 30 * 60_000).toISOString();
    const series = async (level: string) =>
      (await engine.get(`/api/indicators/traffic_flow?level=${level}&from=${from}&to=${to}`)).body as {
        rows: { t: string; area: string; value: number }[];
      };
    const wardRows = (await series('ward')).rows;
    const districtRows = (await series('district')).rows;
    const cityRows = (await series('city')).rows;
    expect(new Set(wardRows.map((r) => r.area))).toEqual(
      new Set(Object.values(SPOTS).map(([lon, lat]) => wards.locate(lon, lat))),
    );
    expect(new Set(districtRows.map((r) => r.area))).toEqual(
      new Set(['former_ba_dinh', 'former_hoan_kiem', 'former_cau_giay', 'former_ba_vi', 'former_long_bien']),
    );
    expect(cityRows).toHaveLength(25);
    for (const c of cityRows) {
      const sum = (rows: { t: string; value: number }[]) =>
        rows.filter((r) => r.t === c.t).reduce((s, r) => s + r.value, 0);
      expect([sum(wardRows), sum(districtRows)], c.t).toEqual([c.value, c.value]);
    }
    expect(await query(`SELECT count(*) FROM areas WHERE level = 'district'`)).toEqual([[30]]);
  });

  it('does not place anything again on the next start', async () => {
    await engine.stop();
    warnings.length = 0;
    const again = await startTestEngine({ dataDir: dir, retainRawDays: 3650 }, { log });
    try {
      expect(warnings.filter((m) => m.includes('placed again'))).toEqual([]);
      expect(await again.sql(`SELECT count(*) FROM service_events WHERE area LIKE 'former_%'`)).toEqual([[75]]);
    } finally {
      await again.stop();
    }
  });
});
