// What a PostgreSQL client sends once logged in, read with pg-gateway's reader into a union on `type`.
import type { PostgresConnection } from 'pg-gateway';

type Reader = PostgresConnection['reader'];

export type Frontend =
  | { type: 'query'; sql: string }
  | { type: 'parse'; name: string; sql: string; paramTypes: number[] }
  | {
      type: 'bind';
      portal: string;
      statement: string;
      paramFormats: number[];
      params: (Buffer | null)[];
      resultFormats: number[];
    }
  | { type: 'describe'; what: 'statement' | 'portal'; name: string }
  | { type: 'execute'; portal: string; maxRows: number }
  | { type: 'close'; what: 'statement' | 'portal'; name: string }
  | { type: 'sync' }
  | { type: 'flush' }
  | { type: 'terminate' }
  | { type: 'other'; code: string };

const int16s = (reader: Reader): number[] => Array.from({ length: reader.int16() }, () => reader.int16());

/** Reads the message pg-gateway's reader holds (its code and length first). */
export function readFrontend(reader: Reader): Frontend {
  const code = String.fromCharCode(reader.byte());
  reader.int32();
  switch (code) {
    case 'Q':
      return { type: 'query', sql: reader.cstring() };
    case 'P': {
      const name = reader.cstring();
      const sql = reader.cstring();
      const paramTypes = Array.from({ length: reader.int16() }, () => reader.int32());
      return { type: 'parse', name, sql, paramTypes };
    }
    case 'B': {
      const portal = reader.cstring();
      const statement = reader.cstring();
      const paramFormats = int16s(reader);
      const params = Array.from({ length: reader.int16() }, () => {
        const length = reader.int32();
        return length < 0 ? null : reader.bytes(length);
      });
      return { type: 'bind', portal, statement, paramFormats, params, resultFormats: int16s(reader) };
    }
    case 'D':
    case 'C': {
      const what = reader.byte() === 0x53 ? 'statement' : 'portal';
      return { type: code === 'D' ? 'describe' : 'close', what, name: reader.cstring() };
    }
    case 'E':
      return { type: 'execute', portal: reader.cstring(), maxRows: reader.int32() };
    case 'S':
      return { type: 'sync' };
    case 'H':
      return { type: 'flush' };
    case 'X':
      return { type: 'terminate' };
    default:
      return { type: 'other', code };
  }
}
