// The one place that turns errors into HTTP answers: JSON {error: {code, message}} with the right status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Response {
  return c.json({ error: { ...details, code, message } }, status);
}

/**
 * Whether the client hung up mid-request, e.g. cut an upload short: reading its body then fails with the socket's
 * reset, and the request's signal is aborted. That is the client's doing, not a fault of the engine.
 */
function clientGone(err: Error, c: Context): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || c.req.raw.signal.aborted;
}

export function onError(log: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof EngineError)
      return errorResponse(c, err.status as ContentfulStatusCode, err.code, err.message, err.details);
    if (clientGone(err, c)) {
      log.info('client aborted the request', { method: c.req.method, path: c.req.path, reason: err.message });
      // Nobody is left to read it; the answer only completes the request's bookkeeping.
      return errorResponse(
        c,
        400,
        'client_aborted',
        'the client closed the connection before the request was complete',
      );
    }
    log.error('unhandled error in a request', { err, path: c.req.path });
    return errorResponse(c, 500, 'internal', 'internal error; the engine log has the details');
  };
}
