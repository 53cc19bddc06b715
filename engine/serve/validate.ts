// Request validation at the edge: zod schemas for bodies and query strings, errors naming the field.
import type { Context } from 'hono';
import type { z } from 'zod';
import { EngineError } from '../errors.ts';

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? `field "${issue.path.join('.')}"` : what;
  throw new EngineError('bad_request', `${field}: ${issue.message}`);
}

export async function jsonBody(c: Context, limitBytes: number): Promise<unknown> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > limitBytes) throw new EngineError('too_large', `request body is ${length} bytes, over the limit of ${limitBytes}`);
  const text = await c.req.text();
  if (text.length > limitBytes) throw new EngineError('too_large', `request body is over the limit of ${limitBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EngineError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
