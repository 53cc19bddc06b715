// POST /api/sql outputs: Arrow IPC decoded with apache-arrow equals the JSON answer for every stored column type; CSV and Parquet whole.
import { DuckDBInstance } from '@duckdb/node-api';
import { DataType, type Table, tableFromIPC, type Field } from 'apache-arrow';
import mqtt from 'mqtt';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera, sensor, service } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

const ARROW = 'application/vnd.apache.arrow.stream';
let engine: TestEngine;

async function fetchSql(
  sql: string,
  accept: string,
  extra: Record<string, unknown> = {},
  query = '',
): Promise<Response> {
  return fetch(`${engine.url}/api/sql${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ sql, ...extra }),
  });
}

async function arrow(sql: string, extra: Record<string, unknown> = {}): Promise<{ table: Table; res: Response }> {
  const res = await fetchSql(sql, ARROW, extra);
  expect(
    res.status,
    await res
      .clone()
      .text()
      .then((t) => t.slice(0, 300)),
  ).toBe(200);
  expect(res.headers.get('content-type')).toBe(ARROW);
  return { table: tableFromIPC(new Uint8Array(await res.arrayBuffer())), res };
}

/** An Arrow cell as the JSON answer writes it: times in ISO, 64-bit integers as numbers, decimals scaled, bytes in base64. */
function asJson(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isTimestamp(type)) return new Date(Number(value)).toISOString();
  if (DataType.isDate(type)) return new Date(Number(value)).toISOString();
  if (DataType.isDecimal(type)) {
    const words = value as Uint32Array;
    let x = 0n;
    for (let w = 3; w >= 0; w--) x = (x << 32n) | BigInt(words[w]!);
    if (x >= 1n << 127n) x -= 1n << 128n;
    return Number(x) / 10 ** type.scale;
  }
  if (DataType.isInt(type) && type.bitWidth === 64) return Number(value);
  if (DataType.isBinary(type)) return Buffer.from(value as Uint8Array).toString('base64');
  if (DataType.isList(type)) return [...(value as Iterable<unknown>)].map((v) => asJson(v, type.children[0]!.type));
  if (DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    return Object.fromEntries(type.children.map((f: Field) => [f.name, asJson(row[f.name], f.type)]));
  }
  return value;
}

function arrowRows(table: Table): unknown[][] {
  const cols = table.schema.fields.map((f, i) => ({ f, v: table.getChildAt(i)! }));
  return Array.from({ length: table.numRows }, (_, r) => cols.map(({ f, v }) => asJson(v.get(r), f.type)));
}

/** JSON values as compared: times to the millisecond in ISO (the JSON answer may carry microseconds it rounds away). */
function normalise(rows: unknown[][], types: string[]): unknown[][] {
  return rows.map((row) =>
    row.map((v, i) => {
      if (v === null) return null;
      const t = types[i]!;
      if (t.startsWith('TIMESTAMP') || t === 'DATE') return new Date(v as string).toISOString();
      if (t === 'JSON') return typeof v === 'string' ? v : JSON.stringify(v);
      return v;
    }),
  );
}

beforeAll(async () => {
  engine = await startTestEngine({ sqlMaxRows: 100 });
  const pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `outputs-${process.pid}` });
  const now = Date.now();
  const ts = (i: number) => new Date(now - 600_000 + i * 1000).toISOString();
  for (let i = 0; i < 30; i++) {
    const extra = i % 3 === 0 ? { note: `ghi chú ${i}`, tags: ['a', 'b'] } : {};
    await pub.publishAsync(
      'city/camera/x',
      JSON.stringify(
        camera(i, {
          ts: ts(i),
          ...extra,
          ...(i % 5 === 0 ? { incident: { type: 'flooding', confidence: 0.8 }, queueM: 120 } : {}),
        }),
      ),
      { qos: 1 },
    );
  }
  for (const kind of ['air', 'water', 'noise', 'weather', 'network']) {
    await pub.publishAsync(
      `city/sensor/${kind}`,
      JSON.stringify([1, 2, 3].map((i) => sensor(i, kind, { id: `s-${kind}-${i}`, ts: ts(i) }))),
      { qos: 1 },
    );
  }
  await pub.publishAsync(
    'city/service/x',
    JSON.stringify(
      [1, 2, 3].map((i) =>
        service(i, {
          ts: ts(i),
          onlinePayment: i % 2 === 0,
          ...(i === 3 ? { dueAt: undefined, level: undefined } : {}),
        }),
      ),
    ),
    { qos: 1 },
  );
  await pub.publishAsync('city/camera/bad', Buffer.from([0, 159, 146, 150, 255]), { qos: 1 });
  await pub.endAsync();
  await until(
    () =>
      engine.sql(
        'SELECT (SELECT count(*) FROM camera_events) + (SELECT count(*) FROM sensor_events) + (SELECT count(*) FROM service_events) + (SELECT count(*) FROM dead_letters)',
      ),
    (r) => r[0]![0] === 30 + 15 + 3 + 1,
  );
  await engine.settle();
});
afterAll(async () => {
  await engine?.dispose();
});

describe('Arrow IPC answers', () => {
  it('decode to the JSON answer for every table and column the engine stores', async () => {
    const catalog = (await engine.get('/api/catalog')).body as {
      tables: { name: string; kind: string; rows: number; columns: { name: string; type: string }[] }[];
    };
    const tables = catalog.tables.filter((t) => t.kind === 'table');
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'camera_events',
        'sensor_events',
        'service_events',
        'dead_letters',
        'areas',
        'sql_audit',
        'saved_queries',
      ]),
    );
    const seenTypes = new Set<string>();
    // The audit grows with every query, this test's own too: compare what it held before.
    const before = new Date().toISOString();
    for (const t of tables) {
      const sql = `SELECT * FROM "${t.name}" ${t.name === 'sql_audit' ? `WHERE started_at < '${before}'` : ''} ORDER BY ALL LIMIT 100`;
      // The engine's own ticks may write a rollup between the two calls: ask again until both saw the same rows.
      let json: { columns: { name: string; type: string }[]; rows: unknown[][] };
      let table: Table;
      for (let attempt = 0; ; attempt++) {
        json = (await engine.post('/api/sql', { sql })).body as typeof json;
        ({ table } = await arrow(sql));
        const same =
          JSON.stringify(arrowRows(table)) ===
          JSON.stringify(
            normalise(
              json.rows,
              json.columns.map((c) => c.type),
            ),
          );
        if (same || attempt === 4) break;
      }
      expect(
        table.schema.fields.map((f) => f.name),
        t.name,
      ).toEqual(json.columns.map((c) => c.name));
      expect(table.numRows, t.name).toBe(json.rows.length);
      expect(arrowRows(table), t.name).toEqual(
        normalise(
          json.rows,
          json.columns.map((c) => c.type),
        ),
      );
      for (const c of json.columns) seenTypes.add(c.type);
    }
    // The stored tables' types, all covered above (and with rows, not only empty columns).
    for (const type of [
      'VARCHAR',
      'DOUBLE',
      'INTEGER',
      'BIGINT',
      'BOOLEAN',
      'TIMESTAMP WITH TIME ZONE',
      'JSON',
      'BLOB',
    ])
      expect(seenTypes).toContain(type);
  });

  it('keeps the types: zone on TIMESTAMPTZ, decimals, lists, structs, maps, nulls, JSON as JSON', async () => {
    const sql = `SELECT TIMESTAMPTZ '2026-11-27 08:00:00.123456+07' AS t, 12345.678::DECIMAL(18,3) AS d, (-1)::DECIMAL(38,10) AS d38,
      170141183460469231731687303715884105727::HUGEINT AS h, 9007199254740993::BIGINT AS big, 18446744073709551615::UBIGINT AS ub,
      [1, NULL, 3] AS l, ['Hà Nội', NULL] AS ls, {'a': 1, 'b': [TIMESTAMPTZ '2026-01-01 00:00:00+00'], 'c': {'d': 'x'}} AS s,
      MAP {'k': 1.5} AS m, true AS b, NULL::INTEGER AS n, '{"k": [1, 2]}'::JSON AS j, '\\xAA\\x00'::BLOB AS bl,
      DATE '2026-11-27' AS day, TIME '08:30:00.5' AS tm, 1.5::FLOAT AS f, 7::TINYINT AS ti, [1, 2]::INTEGER[2] AS arr,
      INTERVAL 90 MINUTE AS iv, 'b'::ENUM('a', 'b') AS e, '00000000-0000-0000-0000-000000000001'::UUID AS u
      UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`;
    const { table } = await arrow(sql);
    const f = Object.fromEntries(table.schema.fields.map((x) => [x.name, x]));
    expect(String(f['t']!.type)).toBe('Timestamp<MICROSECOND, Asia/Ho_Chi_Minh>');
    expect(f['d']!.type).toMatchObject({ scale: 3, precision: 18, bitWidth: 128 });
    expect(f['d38']!.type).toMatchObject({ scale: 10, precision: 38 });
    expect(f['h']!.type).toMatchObject({ scale: 0, precision: 38 });
    expect(f['j']!.metadata.get('ARROW:extension:name')).toBe('arrow.json');
    expect(f['d']!.metadata.get('duckdb.type')).toBe('DECIMAL(18,3)');
    expect(f['t']!.metadata.get('duckdb.type')).toBe('TIMESTAMP WITH TIME ZONE');
    expect(String(f['l']!.type)).toBe('List<Int32>');
    expect(String(f['m']!.type)).toMatch(/^Map<Struct<\{key:Utf8, value:Float64\}>>$|^Map</);
    expect(String(f['arr']!.type)).toBe('FixedSizeList[2]<Int32>');

    const row = table.get(0)!.toJSON() as Record<string, unknown>;
    // Microseconds survive in Arrow (the JSON answer has milliseconds).
    const tRaw = table.getChild('t')!.data[0]!.values as BigInt64Array;
    expect(tRaw[0]).toBe(BigInt(Date.parse('2026-11-27T01:00:00.123Z')) * 1000n + 456n);
    expect(asJson(row['d'], f['d']!.type)).toBe(12345.678);
    expect(asJson(row['d38'], f['d38']!.type)).toBe(-1);
    expect(row['big']).toBe(9007199254740993n);
    expect(row['ub']).toBe(18446744073709551615n);
    expect([...(row['l'] as Iterable<unknown>)]).toEqual([1, null, 3]);
    expect([...(row['ls'] as Iterable<unknown>)]).toEqual(['Hà Nội', null]);
    const s = asJson(row['s'], f['s']!.type) as Record<string, unknown>;
    expect(s).toEqual({ a: 1, b: ['2026-01-01T00:00:00.000Z'], c: { d: 'x' } });
    expect(row['b']).toBe(true);
    expect(row['n']).toBeNull();
    expect(JSON.parse(row['j'] as string)).toEqual({ k: [1, 2] });
    expect([...(row['bl'] as Uint8Array)]).toEqual([0xaa, 0]);
    expect(new Date(row['day'] as number).toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(row['f']).toBe(1.5);
    expect(row['ti']).toBe(7);
    expect([...(row['arr'] as Iterable<unknown>)]).toEqual([1, 2]);
    expect(row['e']).toBe('b');
    expect(row['u']).toBe('00000000-0000-0000-0000-000000000001');
    // The second row: nulls in every column but n.
    const nulls = table.get(1)!.toJSON() as Record<string, unknown>;
    for (const [k, v] of Object.entries(nulls)) expect(v, k).toBe(k === 'n' ? 1 : null);
  });

  it('streams whole results without the JSON row cap, and caps them when asked', async () => {
    const { table } = await arrow('SELECT range AS i, range::VARCHAR AS s FROM range(150000)');
    expect(table.numRows).toBe(150_000);
    expect(Number(table.getChild('i')!.get(149_999))).toBe(149_999);
    const capped = await arrow('SELECT range AS i FROM range(150000)', { maxRows: 5000 });
    expect(capped.table.numRows).toBe(5000);
    expect(capped.res.headers.get('x-truncated')).toBe('true');
    const json = (await engine.post('/api/sql', { sql: 'SELECT range FROM range(150000)' })).body;
    expect(json).toMatchObject({ rowCount: 100, truncated: true });
    const empty = await arrow('SELECT 1 AS a WHERE false');
    expect(empty.table.numRows).toBe(0);
    expect(empty.table.schema.fields.map((x) => x.name)).toEqual(['a']);
  });
});

describe('CSV and Parquet downloads', () => {
  it('CSV: whole result, quoted where needed, same values as JSON', async () => {
    const res = await fetchSql(
      "SELECT range AS i, CASE WHEN range = 1 THEN 'a,\"b\"' ELSE 'Hà Nội' END AS s, TIMESTAMPTZ '2026-11-27 08:00:00+07' AS t FROM range(20000)",
      'text/csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="result.csv"/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines.length).toBe(20_001);
    expect(lines.slice(0, 3)).toEqual([
      'i,s,t',
      '0,Hà Nội,2026-11-27T01:00:00.000Z',
      '1,"a,""b""",2026-11-27T01:00:00.000Z',
    ]);
    const refused = await fetchSql('DROP TABLE camera_events', 'text/csv');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden_sql');
  });

  it('Parquet: a file any reader opens, with every row and the types', async () => {
    const res = await fetchSql('SELECT * FROM camera_events, range(1000) r', 'application/vnd.apache.parquet');
    expect(
      res.status,
      await res
        .clone()
        .text()
        .then((t) => t.slice(0, 200)),
    ).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
    expect(res.headers.get('x-row-count')).toBe('30000');
    const file = join(engine.dir, 'check.parquet');
    writeFileSync(file, bytes);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER, count(DISTINCT id)::INTEGER, any_value(typeof(ts)), any_value(typeof(extra)) FROM '${file}'`,
    );
    expect(reader.getRowsJS()).toEqual([[30_000, 30, 'TIMESTAMP WITH TIME ZONE', 'JSON']]);
    conn.closeSync();
    db.closeSync();
    const viaQuery = await fetch(`${engine.url}/api/sql?format=parquet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1 AS a' }),
    });
    expect(viaQuery.headers.get('content-type')).toBe('application/vnd.apache.parquet');
  });
});

describe('GET /api/catalog', () => {
  it('lists tables and views with columns, types and row counts', async () => {
    const { tables } = (await engine.get('/api/catalog')).body as {
      tables: { name: string; kind: string; rows: number | null; columns: { name: string; type: string }[] }[];
    };
    const cams = tables.find((t) => t.name === 'camera_events')!;
    expect(cams).toMatchObject({ kind: 'table', rows: 30 });
    expect(cams.columns.slice(0, 3)).toEqual([
      { name: 'id', type: 'VARCHAR', nullable: false },
      { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE', nullable: false },
      { name: 'camera_id', type: 'VARCHAR', nullable: true },
    ]);
    expect(cams.columns.find((c) => c.name === 'extra')!.type).toBe('JSON');
    for (const v of tables.filter((t) => t.kind === 'view')) expect(v.rows).toBeNull();
    expect(tables.find((t) => t.name.startsWith('stage_'))).toBeUndefined();
  });
});
