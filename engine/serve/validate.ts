// Request validation at the edge: zod schemas for bodies and query strings, errors naming the field.
import type { Context } from 'hono';
import type { z } from 'zod';
import { EngineError } from '../errors.ts';
import { readBody } from './body-limit.ts';

const utf8 = new TextDecoder();

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? `field "${issue.path.join('.')}"` : what;
  throw new EngineError('bad_request', `${field}: ${issue.message}`);
}

/** A JSON body of at most `limitBytes`; reading stops there, whatever limit the app put in front of the route. */
export async function jsonBody(c: Context, limitBytes: number): Promise<unknown> {
  const text = utf8.decode(await readBody(c, limitBytes));
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EngineError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
