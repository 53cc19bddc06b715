// Validates a decoded areas file and turns zod issues into one message that names each bad feature and field.
import type { z } from 'zod';
import { AreasFileError } from './errors.ts';
import { areasFileSchema, type AreasFile } from './schema.ts';

// A broken file tends to be broken everywhere in the same way; a handful of lines says enough.
const MAX_ISSUES_SHOWN = 5;

export function parseAreasFile(data: unknown, source: string): AreasFile {
  const result = areasFileSchema.safeParse(data);
  if (result.success) return result.data;
  throw new AreasFileError(source, formatIssues(result.error.issues, data), { cause: result.error });
}

function formatIssues(issues: readonly z.core.$ZodIssue[], data: unknown): string {
  const lines = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `${formatPath(issue.path, data)}: ${issue.message}`);
  const more = issues.length - lines.length;
  if (more > 0) lines.push(`… and ${more} more problem${more === 1 ? '' : 's'}`);
  return lines.join('; ');
}

/** `features[3] ("hoan_kiem").properties.code`: the path as a person would look it up in the file. */
function formatPath(path: readonly PropertyKey[], data: unknown): string {
  if (path.length === 0) return '(root)';
  let out = '';
  path.forEach((key, i) => {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
    if (i === 1 && path[0] === 'features' && typeof key === 'number') out += featureLabel(data, key);
  });
  return out;
}

/** The feature's own code or name when it has one, so the reader need not count features. */
function featureLabel(data: unknown, index: number): string {
  const features = (data as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return '';
  const props = (features[index] as { properties?: Record<string, unknown> } | undefined)?.properties;
  const label = typeof props?.code === 'string' ? props.code : typeof props?.name === 'string' ? props.name : undefined;
  return label === undefined ? '' : ` ("${label}")`;
}
