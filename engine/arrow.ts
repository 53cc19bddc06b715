// DuckDB result chunks → Arrow IPC stream bytes, built column by column with apache-arrow (the node API has no Arrow export).
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Decimal,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  Map_,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  type Data,
} from 'apache-arrow';
import {
  DuckDBTypeId,
  type DuckDBArrayType,
  type DuckDBDataChunk,
  type DuckDBDecimalType,
  type DuckDBListType,
  type DuckDBMapType,
  type DuckDBStructType,
  type DuckDBType,
  type DuckDBValue,
} from './db.ts';

/** Arrow's extension name for JSON text, so Arrow readers that know it (pyarrow, DuckDB) see JSON, not a plain string. */
const JSON_EXTENSION = new Map([
  ['ARROW:extension:name', 'arrow.json'],
  ['ARROW:extension:metadata', ''],
]);
const utf8 = new TextEncoder();

/**
 * The Arrow type of a DuckDB type. TIMESTAMPTZ keeps its zone (the session's, as DuckDB's own Arrow export does),
 * DECIMAL its width and scale, HUGEINT becomes DECIMAL(38, 0); types with no faithful Arrow twin (INTERVAL, UUID,
 * ENUM, UNION, BIT …) travel as their text.
 */
function arrowType(t: DuckDBType, timeZone: string): DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
      return new Int32();
    case DuckDBTypeId.BIGINT:
      return new Int64();
    case DuckDBTypeId.UTINYINT:
      return new Uint8();
    case DuckDBTypeId.USMALLINT:
      return new Uint16();
    case DuckDBTypeId.UINTEGER:
      return new Uint32();
    case DuckDBTypeId.UBIGINT:
      return new Uint64();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
      return new Float64();
    case DuckDBTypeId.HUGEINT:
      return new Decimal(0, 38, 128);
    case DuckDBTypeId.DECIMAL: {
      const d = t as DuckDBDecimalType;
      return new Decimal(d.scale, d.width, 128);
    }
    case DuckDBTypeId.DATE:
      return new DateDay();
    case DuckDBTypeId.TIME:
      return new TimeMicrosecond();
    case DuckDBTypeId.TIMESTAMP:
      return new TimestampMicrosecond();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new TimestampMicrosecond(timeZone);
    case DuckDBTypeId.BLOB:
      return new Binary();
    case DuckDBTypeId.LIST:
      return new List(new Field('item', arrowType((t as DuckDBListType).valueType, timeZone), true));
    case DuckDBTypeId.ARRAY: {
      const a = t as DuckDBArrayType;
      return new FixedSizeList(a.length, new Field('item', arrowType(a.valueType, timeZone), true));
    }
    case DuckDBTypeId.STRUCT: {
      const s = t as DuckDBStructType;
      return new Struct(s.entryNames.map((name, i) => field(name, s.entryTypes[i]!, timeZone)));
    }
    case DuckDBTypeId.MAP: {
      const m = t as DuckDBMapType;
      return new Map_(
        new Field(
          'entries',
          new Struct<{ key: DataType; value: DataType }>([
            new Field('key', arrowType(m.keyType, timeZone), false),
            field('value', m.valueType, timeZone),
          ]),
          false,
        ),
      );
    }
    default:
      return new Utf8();
  }
}

/** The DuckDB type travels in the field's metadata (duckdb.type) so a reader can show the name the analyst knows. */
function field(name: string, t: DuckDBType, timeZone: string): Field {
  const metadata = new Map(t.alias === 'JSON' ? JSON_EXTENSION : []);
  metadata.set('duckdb.type', t.alias ?? t.toString());
  return new Field(name, arrowType(t, timeZone), true, metadata);
}

/** Validity bitmap (bit set = value present) and null count. */
function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

type Fixed =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

function fixed<A extends Fixed>(
  type: DataType,
  values: readonly DuckDBValue[],
  Array_: new (n: number) => A,
  read: (v: NonNullable<DuckDBValue>) => A[number],
): Data {
  const data = new Array_(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) data[i] = read(v);
  }
  return makeData({ type, length: values.length, data, ...validity(values) } as never);
}

/** Two's complement 128-bit little-endian words, Arrow's layout of a DECIMAL. */
function decimalWords(values: readonly DuckDBValue[], read: (v: NonNullable<DuckDBValue>) => bigint): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  const mask = (1n << 128n) - 1n;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    let x = read(v) & mask;
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  }
  return words;
}

function bytesColumn(
  type: DataType,
  values: readonly DuckDBValue[],
  toBytes: (v: NonNullable<DuckDBValue>) => Uint8Array,
): Data {
  const parts: Uint8Array[] = new Array(values.length);
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const b = v === null || v === undefined ? new Uint8Array(0) : toBytes(v);
    parts[i] = b;
    total += b.length;
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) data.set(parts[i]!, valueOffsets[i]!);
  return makeData({ type, length: values.length, valueOffsets, data, ...validity(values) } as never);
}

const field0 = (v: unknown, key: string): unknown => (v as Record<string, unknown>)[key];

/** One column of one chunk as Arrow data of `type` (from arrowType of the same DuckDB type). */
function encodeColumn(t: DuckDBType, type: DataType, values: readonly DuckDBValue[]): Data {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN: {
      const data = new Uint8Array((values.length + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) data[i >> 3]! |= 1 << (i & 7);
      });
      return makeData({ type, length: values.length, data, ...validity(values) } as never);
    }
    case DuckDBTypeId.TINYINT:
      return fixed(type, values, Int8Array, Number);
    case DuckDBTypeId.SMALLINT:
      return fixed(type, values, Int16Array, Number);
    case DuckDBTypeId.INTEGER:
      return fixed(type, values, Int32Array, Number);
    case DuckDBTypeId.BIGINT:
      return fixed(type, values, BigInt64Array, (v) => BigInt(v as bigint));
    case DuckDBTypeId.UTINYINT:
      return fixed(type, values, Uint8Array, Number);
    case DuckDBTypeId.USMALLINT:
      return fixed(type, values, Uint16Array, Number);
    case DuckDBTypeId.UINTEGER:
      return fixed(type, values, Uint32Array, Number);
    case DuckDBTypeId.UBIGINT:
      return fixed(type, values, BigUint64Array, (v) => BigInt(v as bigint));
    case DuckDBTypeId.FLOAT:
      return fixed(type, values, Float32Array, Number);
    case DuckDBTypeId.DOUBLE:
      return fixed(type, values, Float64Array, Number);
    case DuckDBTypeId.HUGEINT:
      return makeData({
        type,
        length: values.length,
        data: decimalWords(values, (v) => v as bigint),
        ...validity(values),
      } as never);
    case DuckDBTypeId.DECIMAL:
      return makeData({
        type,
        length: values.length,
        data: decimalWords(values, (v) => field0(v, 'value') as bigint),
        ...validity(values),
      } as never);
    case DuckDBTypeId.DATE:
      return fixed(type, values, Int32Array, (v) => field0(v, 'days') as number);
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return fixed(type, values, BigInt64Array, (v) => field0(v, 'micros') as bigint);
    case DuckDBTypeId.BLOB:
      return bytesColumn(type, values, (v) => field0(v, 'bytes') as Uint8Array);
    case DuckDBTypeId.LIST: {
      const child = (type as List).children[0]!.type;
      const valueOffsets = new Int32Array(values.length + 1);
      const items: DuckDBValue[] = [];
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) items.push(...(field0(v, 'items') as DuckDBValue[]));
        valueOffsets[i + 1] = items.length;
      });
      return makeData({
        type,
        length: values.length,
        valueOffsets,
        child: encodeColumn((t as DuckDBListType).valueType, child, items),
        ...validity(values),
      } as never);
    }
    case DuckDBTypeId.ARRAY: {
      const a = t as DuckDBArrayType;
      const items: DuckDBValue[] = [];
      for (const v of values)
        items.push(
          ...(v === null || v === undefined
            ? new Array<null>(a.length).fill(null)
            : (field0(v, 'items') as DuckDBValue[])),
        );
      return makeData({
        type,
        length: values.length,
        child: encodeColumn(a.valueType, (type as FixedSizeList).children[0]!.type, items),
        ...validity(values),
      } as never);
    }
    case DuckDBTypeId.STRUCT: {
      const s = t as DuckDBStructType;
      const children = s.entryNames.map((name, k) =>
        encodeColumn(
          s.entryTypes[k]!,
          (type as Struct).children[k]!.type,
          values.map((v) =>
            v === null || v === undefined
              ? null
              : ((field0(v, 'entries') as Record<string, DuckDBValue>)[name] ?? null),
          ),
        ),
      );
      return makeData({ type, length: values.length, children, ...validity(values) } as never);
    }
    case DuckDBTypeId.MAP: {
      const m = t as DuckDBMapType;
      const entries = (type as Map_).children[0]!.type as Struct;
      const keys: DuckDBValue[] = [];
      const vals: DuckDBValue[] = [];
      const valueOffsets = new Int32Array(values.length + 1);
      values.forEach((v, i) => {
        if (v !== null && v !== undefined)
          for (const e of field0(v, 'entries') as { key: DuckDBValue; value: DuckDBValue }[]) {
            keys.push(e.key);
            vals.push(e.value);
          }
        valueOffsets[i + 1] = keys.length;
      });
      const child = makeData({
        type: entries,
        length: keys.length,
        nullCount: 0,
        children: [
          encodeColumn(m.keyType, entries.children[0]!.type, keys),
          encodeColumn(m.valueType, entries.children[1]!.type, vals),
        ],
      });
      return makeData({ type, length: values.length, valueOffsets, child, ...validity(values) } as never);
    }
    default:
      return bytesColumn(type, values, (v) => utf8.encode(typeof v === 'string' ? v : String(v)));
  }
}

/**
 * Writes an Arrow IPC stream chunk by chunk. Each record batch is serialised on its own and the bytes that repeat
 * (the schema message, the end-of-stream marker) are cut, so memory holds one chunk at a time, however long the result.
 */
export class ArrowStreamEncoder {
  readonly schema: Schema;

  constructor(
    private readonly columns: readonly { name: string; type: DuckDBType }[],
    timeZone: string,
  ) {
    this.schema = new Schema(columns.map((c) => field(c.name, c.type, timeZone)));
  }

  /** The schema message: the first bytes of the stream. */
  header(): Uint8Array {
    const children = this.columns.map((c, i) => encodeColumn(c.type, this.schema.fields[i]!.type, []));
    const bytes = this.serialise(makeData({ type: new Struct(this.schema.fields), length: 0, nullCount: 0, children }));
    return bytes.subarray(0, schemaLength(bytes));
  }

  /** One chunk (its first `rows` rows) as an encapsulated record-batch message. */
  batch(chunk: DuckDBDataChunk, rows = chunk.rowCount): Uint8Array {
    const values = (i: number): DuckDBValue[] =>
      rows < chunk.rowCount ? chunk.getColumnValues(i).slice(0, rows) : chunk.getColumnValues(i);
    const children = this.columns.map((c, i) => encodeColumn(c.type, this.schema.fields[i]!.type, values(i)));
    const bytes = this.serialise(
      makeData({ type: new Struct(this.schema.fields), length: rows, nullCount: 0, children }),
    );
    return bytes.subarray(schemaLength(bytes), bytes.length - EOS.length);
  }

  /** The end-of-stream marker. */
  static end(): Uint8Array {
    return EOS;
  }

  private serialise(data: Data<Struct>): Uint8Array {
    return RecordBatchStreamWriter.writeAll([new RecordBatch(this.schema, data)]).toUint8Array(true);
  }
}

/** Continuation marker and a zero length: Arrow's end of stream. */
const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** The length of the first encapsulated message (the schema): marker, length prefix, then the padded metadata. */
function schemaLength(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const continuation = view.getInt32(0, true) === -1;
  const metadataLength = view.getInt32(continuation ? 4 : 0, true);
  return (continuation ? 8 : 4) + metadataLength;
}
