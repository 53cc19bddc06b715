// A family's stored columns derived from its zod shape: one column per wire field, snake_case, typed from the schema.
// Families whose fields nest (camera counts, sensor metrics by kind) list their columns by hand in tables.ts.
import type { z } from 'zod';
import { Timestamp } from './common.ts';
import { commonColumns, tailColumns, type Cell, type Column, type SqlType } from './tables.ts';

interface Def {
  type: string;
  innerType?: z.ZodType;
  checks?: { _zod: { def: { check: string; format?: string } } }[];
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** `dueAt` → `due_at`. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The SQL type of a flat field; a nested object has none (its family lists its columns by hand). */
export function sqlTypeOf(schema: z.ZodType): SqlType {
  let s = schema;
  for (let d = defOf(s); d.type === 'optional' || d.type === 'default'; d = defOf(s)) s = d.innerType!;
  if (s === Timestamp) return 'TIMESTAMPTZ';
  const d = defOf(s);
  switch (d.type) {
    case 'string':
    case 'enum':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return d.checks?.some((c) => c._zod.def.format === 'safeint' || c._zod.def.format === 'int32')
        ? 'INTEGER'
        : 'DOUBLE';
    default:
      throw new Error(`a field of type ${d.type} has no column of its own: list the family's columns by hand`);
  }
}

/** id, ts, every other field of the shape in order, then area, extra and received_at. */
export function deriveColumns<E>(shape: Record<string, z.ZodType>): Column<E>[] {
  const fields = Object.entries(shape)
    .filter(([key]) => key !== 'id' && key !== 'ts' && key !== 'area')
    .map(([key, schema]): Column<E> => ({
      name: snakeCase(key),
      type: sqlTypeOf(schema),
      get: (r) => ((r.event as Record<string, unknown>)[key] ?? null) as Cell,
    }));
  return [...commonColumns<E & { id: string; ts: number }>(), ...fields, ...tailColumns<E>()] as Column<E>[];
}
