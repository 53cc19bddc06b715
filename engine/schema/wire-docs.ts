// The README's wire table, written from the family definitions: a family's row lists its required and optional fields
// as its zod shape has them (enum values, ranges, defaults, nested objects), so the table cannot drift from the code.
import type { z } from 'zod';
import { Timestamp } from './common.ts';
import { FAMILIES, FAMILY_DEFS, type Family } from './index.ts';

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string>;
  checks?: { _zod: { def: { check: string; value?: number; inclusive?: boolean } } }[];
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A field as the table words it: `status (a, b)`, `rating (1–5)`, `intervalS (60)`, `counts {car, bus}`. */
function describe(name: string, schema: z.ZodType): string {
  let s = schema;
  let shownDefault: unknown;
  for (let d = defOf(s); d.type === 'optional' || d.type === 'default'; d = defOf(s)) {
    if (d.type === 'default') shownDefault = d.defaultValue;
    s = d.innerType!;
  }
  if (shownDefault !== undefined) return `${name} (${String(shownDefault)})`;
  if (s === Timestamp) return name;
  const d = defOf(s);
  if (d.type === 'enum') return `${name} (${Object.values(d.entries ?? {}).join(', ')})`;
  if (d.type === 'object') {
    const fields = Object.entries(d.shape ?? {}).map(([k, v]) => describe(k, v));
    return fields.length > 0 ? `${name} {${fields.join('; ')}}` : name;
  }
  if (d.type === 'number') {
    const bound = (kind: string) => d.checks?.find((c) => c._zod.def.check === kind)?._zod.def.value;
    const [min, max] = [bound('greater_than'), bound('less_than')];
    if (min !== undefined && max !== undefined && max - min <= 100) return `${name} (${min}–${max})`;
  }
  return name;
}

const isOptional = (s: z.ZodType): boolean => defOf(s).type === 'optional' || defOf(s).type === 'default';

export interface WireRow {
  family: Family;
  topic: string;
  subject: string;
  required: string[];
  optional: string[];
}

export function wireRows(): WireRow[] {
  return FAMILIES.map((f) => {
    const def = FAMILY_DEFS[f];
    let entries = Object.entries(def.shape as Record<string, z.ZodType>);
    // A family that needs a place but takes either form says so once, among the required fields.
    const either = def.placeRequired && entries.some(([k, s]) => k === 'lat' && isOptional(s));
    if (either) entries = entries.filter(([k]) => k !== 'area' && k !== 'lat' && k !== 'lon');
    return {
      family: f,
      topic: `city/${f}/<${def.source.field}>`,
      subject: `city.${f}.<${def.source.field}>`,
      required: [
        ...entries.filter(([, s]) => !isOptional(s)).map(([k, s]) => describe(k, s)),
        ...(either ? ['area or lat/lon'] : []),
      ],
      optional: entries.filter(([, s]) => isOptional(s)).map(([k, s]) => describe(k, s)),
    };
  });
}

export const WIRE_TABLE_HEADER = '| family | MQTT topic / NATS subject | required | optional |';

/** The whole table, header included, as Markdown lines. */
export function wireTable(): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    WIRE_TABLE_HEADER,
    '|---|---|---|---|',
    ...wireRows().map(
      (r) =>
        `| ${r.family} | \`${r.topic}\` / \`${r.subject}\` | ${cell(r.required.join(', '))} | ${cell(r.optional.join(', ') || '—')} |`,
    ),
  ];
}
