// Field types of the operator's settings, each read from an environment string or a value of the JSON config file,
// and what a setting's metadata may say beyond its schema (the README's configuration table is checked against it).
import { z } from 'zod';

declare module 'zod' {
  interface GlobalMeta {
    /** The environment variable, when it is not the one derived from the key (a name already public, kept as it is). */
    env?: string;
    /** The README's default, when the schema has none to show: one decided at start, or a file the engine ships. */
    shownDefault?: string;
  }
}

const YES = ['1', 'true', 'on', 'yes'];

/** On or off: `1`/`0`, `true`/`false`, `on`/`off`, `yes`/`no`, or a JSON boolean. */
export const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])])
  .transform((v) => v === true || (typeof v === 'string' && YES.includes(v)));

/** A whole number from `min` to `max`, also written as a string. */
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const url = (protocols: readonly string[]) =>
  z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.join(' or ')}//` },
  );

/** A comma-separated list of such URLs (a cluster's servers), kept as written. */
export const urls = (protocols: readonly string[]) =>
  z.string().refine(
    (s) =>
      s.split(',').every((part) => {
        try {
          return protocols.includes(new URL(part.trim()).protocol);
        } catch {
          return false;
        }
      }),
    { message: `must be one URL, or several separated by commas, each starting with ${protocols.join(' or ')}//` },
  );

/** A memory size as DuckDB takes it. */
export const size = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 512MB or 2GB');

/** A comma-separated list; blanks are dropped. */
export const list = z.string().transform((s) =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean),
);
