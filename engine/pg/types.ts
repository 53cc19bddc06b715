// DuckDB's types as PostgreSQL clients know them: each column's type OID, size and modifier, and its values in text format.
import { DuckDBTypeId, type DuckDBType } from '../db.ts';

/** What a RowDescription says of a column: enough for a client to pick its parser. */
export interface PgType {
  oid: number;
  size: number;
  modifier: number;
  /** The value in PostgreSQL's text format; never called with null. */
  text: (value: unknown) => string;
}

export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
} as const;

/** Array types of the element types a list of them maps to; other lists go out as text. */
const ARRAY_OF: Partial<Record<number, number>> = {
  [OID.bool]: 1000,
  [OID.int2]: 1005,
  [OID.int4]: 1007,
  [OID.text]: 1009,
  [OID.int8]: 1016,
  [OID.float4]: 1021,
  [OID.float8]: 1022,
  [OID.timestamp]: 1115,
  [OID.date]: 1182,
  [OID.timestamptz]: 1185,
  [OID.numeric]: 1231,
};

/** The array type of an element type the door sends lists of (undefined: such lists go out as text). */
export const arrayOid = (element: number): number | undefined => ARRAY_OF[element];

const MAX_MICROS = 9223372036854775807n;
const plain = (v: unknown): string => String(v);
const bool = (v: unknown): string => (v ? 't' : 'f');

/** Microseconds since the epoch as `2026-12-06 09:00:00[.fraction]`, UTC; the infinities as PostgreSQL writes them. */
function timestampText(micros: bigint): string {
  if (micros >= MAX_MICROS) return 'infinity';
  if (micros <= -MAX_MICROS) return '-infinity';
  let seconds = micros / 1_000_000n;
  let fraction = micros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return fraction === 0n ? base : `${base}.${fraction.toString().padStart(6, '0').replace(/0+$/, '')}`;
}

const micros = (v: unknown): bigint => (v as { micros: bigint }).micros;
// TIMESTAMPTZ in UTC whatever the session's zone: `+00` is what clients parse into an instant without guessing.
const timestamptz = (v: unknown): string => {
  const t = timestampText(micros(v));
  return t.endsWith('infinity') ? t : `${t}+00`;
};
const timestamp = (v: unknown): string => timestampText(micros(v));
const bytea = (v: unknown): string => `\\x${Buffer.from((v as { bytes: Uint8Array }).bytes).toString('hex')}`;

/** An array element in text: quoted when PostgreSQL's array parser would misread it bare. */
function element(text: string): string {
  return text === '' || /[{}",\\\s]/.test(text) || text.toUpperCase() === 'NULL'
    ? `"${text.replace(/["\\]/g, '\\$&')}"`
    : text;
}

function arrayText(item: PgType): (v: unknown) => string {
  return (v) =>
    `{${(v as { items: readonly unknown[] }).items.map((x) => (x === null ? 'NULL' : element(item.text(x)))).join(',')}}`;
}

const t = (oid: number, size: number, text: (v: unknown) => string = plain, modifier = -1): PgType => ({
  oid,
  size,
  modifier,
  text,
});

/** The PostgreSQL type a DuckDB column goes out as; what has no counterpart goes out as text. */
export function pgType(type: DuckDBType): PgType {
  if (type.alias === 'JSON') return t(OID.json, -1);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return t(OID.bool, 1, bool);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return t(OID.int2, 2);
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return t(OID.int4, 4);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return t(OID.int8, 8);
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return t(OID.numeric, -1);
    case DuckDBTypeId.DECIMAL:
      // The type modifier of numeric(p, s), as PostgreSQL encodes it.
      return t(OID.numeric, -1, plain, ((type.width << 16) | type.scale) + 4);
    case DuckDBTypeId.FLOAT:
      return t(OID.float4, 4);
    case DuckDBTypeId.DOUBLE:
      return t(OID.float8, 8);
    case DuckDBTypeId.DATE:
      return t(OID.date, 4);
    case DuckDBTypeId.TIME:
      return t(OID.time, 8);
    case DuckDBTypeId.TIMESTAMP:
      return t(OID.timestamp, 8, timestamp);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return t(OID.timestamptz, 8, timestamptz);
    case DuckDBTypeId.INTERVAL:
      return t(OID.interval, 16);
    case DuckDBTypeId.UUID:
      return t(OID.uuid, 16);
    case DuckDBTypeId.BLOB:
      return t(OID.bytea, -1, bytea);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = pgType(type.valueType);
      const array = ARRAY_OF[item.oid];
      return array ? t(array, -1, arrayText(item)) : t(OID.text, -1);
    }
    default:
      return t(OID.text, -1);
  }
}
