// A fast acceptance check compiled from the zod schemas themselves: on the hot path an event that passes it skips zod;
// one that does not is handed to zod, which decides and words the reason. The check may say "not sure" (false) but
// must never accept what zod refuses, nor produce a different value (test/schema/fast-check.test.ts holds it to that).
import type { z } from 'zod';
import { Timestamp, timestampMs } from './common.ts';

/** A change zod's output would have (a parsed time, a default): applied to the parsed JSON only once all of it passed. */
export interface Patches {
  objects: Record<string, unknown>[];
  keys: string[];
  values: unknown[];
}

type Check = (value: unknown, parent: Record<string, unknown>, key: string, patches: Patches) => boolean;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  checks?: { _zod: { def: CheckDef } }[];
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: z.ZodType[];
  discriminator?: string;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  fn?: (v: unknown) => unknown;
  abort?: boolean;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Compiles `schema` to a fast check, or returns null when it uses anything this compiler does not know (zod then does all). */
export function compileFastCheck(schema: z.ZodType): ((value: unknown) => Patches | null) | null {
  const check = compile(schema);
  if (!check) return null;
  const holder: Record<string, unknown> = {};
  return (value) => {
    const patches: Patches = { objects: [], keys: [], values: [] };
    return check(value, holder, '', patches) ? patches : null;
  };
}

/** Applies what the check collected: the parsed JSON becomes the value zod would have returned, for the fields the engine reads. */
export function applyPatches(p: Patches): void {
  for (let i = 0; i < p.keys.length; i++) p.objects[i]![p.keys[i]!] = p.values[i];
}

function compile(schema: z.ZodType): Check | null {
  if (schema === Timestamp) return timestamp;
  const def = defOf(schema);
  const refinements = customChecks(def);
  if (refinements === null) return null;
  const base = compileType(def);
  if (!base) return null;
  if (refinements.length === 0) return base;
  return (v, parent, key, patches) => {
    if (!base(v, parent, key, patches)) return false;
    for (const fn of refinements) if (fn(v) !== true) return false;
    return true;
  };
}

/** The `refine` predicates on a schema; null when it has checks of a kind handled elsewhere or not at all. */
function customChecks(def: Def): ((v: unknown) => unknown)[] | null {
  if (def.type === 'string' || def.type === 'number') return [];
  const fns: ((v: unknown) => unknown)[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check !== 'custom' || !d.fn) return null;
    fns.push(d.fn);
  }
  return fns;
}

function compileType(def: Def): Check | null {
  switch (def.type) {
    case 'object':
      return compileObject(def);
    case 'optional': {
      const inner = def.innerType && compile(def.innerType);
      return inner ? (v, parent, key, patches) => v === undefined || inner(v, parent, key, patches) : null;
    }
    case 'default': {
      const inner = def.innerType && compile(def.innerType);
      const fallback = def.defaultValue;
      if (!inner || (typeof fallback === 'object' && fallback !== null)) return null;
      return (v, parent, key, patches) => {
        if (v !== undefined) return inner(v, parent, key, patches);
        patches.objects.push(parent);
        patches.keys.push(key);
        patches.values.push(fallback);
        return true;
      };
    }
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => typeof v === 'string' && allowed.has(v);
    }
    case 'literal': {
      const allowed = def.values ?? [];
      return (v) => allowed.includes(v);
    }
    case 'union':
      return def.discriminator ? compileDiscriminated(def.discriminator, def.options ?? []) : null;
    default:
      return null;
  }
}

function compileObject(def: Def): Check | null {
  // Unknown keys: kept (loose) or dropped (strip) by zod, accepted either way; a strict object is left to zod.
  if (def.catchall && defOf(def.catchall).type !== 'unknown') return null;
  const keys = Object.keys(def.shape ?? {});
  const checks: Check[] = [];
  for (const k of keys) {
    const c = compile(def.shape![k]!);
    if (!c) return null;
    checks.push(c);
  }
  return (v, _parent, _key, patches) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!checks[i]!(o[keys[i]!], o, keys[i]!, patches)) return false;
    return true;
  };
}

function compileString(def: Def): Check | null {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let pattern: RegExp | null = null;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length') min = Math.max(min, d.minimum!);
    else if (d.check === 'max_length') max = Math.min(max, d.maximum!);
    // One stateless pattern (a global or sticky one would carry lastIndex from one event to the next).
    else if (
      d.check === 'string_format' &&
      d.format === 'regex' &&
      d.pattern &&
      !pattern &&
      !d.pattern.global &&
      !d.pattern.sticky
    )
      pattern = d.pattern;
    else return null;
  }
  if (pattern) {
    const p = pattern;
    return (v) => typeof v === 'string' && v.length >= min && v.length <= max && p.test(v);
  }
  return (v) => typeof v === 'string' && v.length >= min && v.length <= max;
}

function compileNumber(def: Def): Check | null {
  let lo = Number.NEGATIVE_INFINITY;
  let loIn = true;
  let hi = Number.POSITIVE_INFINITY;
  let hiIn = true;
  let integer = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than') {
      lo = d.value!;
      loIn = d.inclusive === true;
    } else if (d.check === 'less_than') {
      hi = d.value!;
      hiIn = d.inclusive === true;
    } else if (d.check === 'number_format' && d.format === 'safeint') integer = true;
    else return null;
  }
  return (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (loIn ? v >= lo : v > lo) &&
    (hiIn ? v <= hi : v < hi) &&
    (!integer || Number.isSafeInteger(v));
}

function compileDiscriminated(key: string, options: z.ZodType[]): Check | null {
  const byValue = new Map<unknown, Check>();
  for (const o of options) {
    const d = defOf(o);
    const lit = d.shape?.[key];
    const values = lit ? defOf(lit).values : undefined;
    const c = compile(o);
    if (d.type !== 'object' || !values || !c) return null;
    for (const value of values) byValue.set(value, c);
  }
  return (v, parent, k, patches) => {
    if (typeof v !== 'object' || v === null) return false;
    const c = byValue.get((v as Record<string, unknown>)[key]);
    return c !== undefined && c(v, parent, k, patches);
  };
}

const timestamp: Check = (v, parent, key, patches) => {
  const ms = timestampMs(v);
  if (ms === null) return false;
  patches.objects.push(parent);
  patches.keys.push(key);
  patches.values.push(ms);
  return true;
};
