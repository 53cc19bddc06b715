// The one place that turns errors into HTTP answers: JSON {error: {code, message}} with the right status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: Readonly<Record<string, unknown>>): Response {
  return c.json({ error: { ...details, code, message } }, status);
}

export function onError(log: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof EngineError) return errorResponse(c, err.status as ContentfulStatusCode, err.code, err.message, err.details);
    log.error('unhandled error in a request', { err, path: c.req.path });
    return errorResponse(c, 500, 'internal', 'internal error; the engine log has the details');
  };
}
