// Request validation at the edge: zod schemas through @hono/zod-validator, every problem named by its field in one
// 400; and JSON bodies read up to a route's own cap whatever their content type, as the routes always took them.
import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { readBody } from './body-limit.ts';

const utf8 = new TextDecoder();

/** What a problem without a path is about. */
const WHOLE: Record<keyof ValidationTargets, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'headers',
  cookie: 'cookies',
};

/** A query's instant: RFC 3339 with an offset, read as epoch milliseconds. */
export const isoTime = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 time with an offset, e.g. 2026-11-27T08:00:00+07:00' })
  .transform((s) => Date.parse(s));

/** `field "from": must be …; field "to": must be …`: every issue, each named by its field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], whole: string): string {
  return issues.map((i) => `${i.path.length ? `field "${i.path.join('.')}"` : whole}: ${i.message}`).join('; ');
}

/** A 400 for a value a schema refused, naming every problem. */
export function invalid(issues: readonly z.core.$ZodIssue[], whole: string): EngineError {
  return new EngineError('bad_request', describeIssues(issues, whole));
}

/** The route's validated `target`, read in the handler with `c.req.valid(target)`. */
export function validate<T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalid(result.error.issues, WHOLE[target]);
  });
}

/** A single value outside a request's targets, e.g. a header or a path segment: its own 400 naming `what`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalid(parsed.error.issues, what);
}

/**
 * The body as JSON for the validator that follows, read up to `limitBytes` (whatever cap the app put in front) and
 * whatever its content type says. `optional`: an empty body reads as `{}`.
 */
export function jsonBody(limitBytes: number, options: { optional?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    const bytes = await readBody(c, limitBytes);
    const text = options.optional && bytes.byteLength === 0 ? '{}' : utf8.decode(bytes);
    try {
      JSON.parse(text);
    } catch (err) {
      throw new EngineError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
    }
    const headers = new Headers(c.req.raw.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    c.req.raw = new Request(c.req.raw, { body: text, headers });
    await next();
  };
}
