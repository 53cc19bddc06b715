// The engine's structured logger, on pino: one JSON line per record on stderr, or readable lines through pino-pretty
// when stderr is a terminal. An error in a record keeps its type, stack, own fields and whole `cause` chain.
import pino, { type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * `destination` replaces stderr (tests read the lines there). process.stderr writes synchronously to files, pipes and
 * terminals, so a line that matters is out before the engine exits or is killed.
 */
export function createLogger(
  level: LogLevel,
  bindings: Record<string, unknown> = {},
  pretty = process.stderr.isTTY === true,
  destination?: DestinationStream,
): Logger {
  const prettyHere = pretty && destination === undefined && level !== 'silent';
  const stream =
    destination ??
    (prettyHere
      ? pino.transport({
          target: 'pino-pretty',
          options: { destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
        })
      : process.stderr);
  const root = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // pino's own `err` serializer folds the causes into one message and stack; this one keeps them apart, nested.
      serializers: { err: (value: unknown) => (value instanceof Error ? serializeError(value) : value) },
      // pino-pretty colours the numeric levels; JSON lines name them.
      formatters: { ...(prettyHere ? {} : { level: (label: string) => ({ level: label }) }), log: serializeErrors },
    },
    stream,
  );
  return wrap(Object.keys(bindings).length ? root.child(bindings) : root);
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (b) => wrap(p.child(b)),
  };
}

/** Errors under any key of a record, not only `err`: type, message, stack, own fields and the causes under them. */
function serializeErrors(record: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(record)) {
    if (!(value instanceof Error)) continue;
    out ??= { ...record };
    out[key] = serializeError(value);
  }
  return out ?? record;
}

function serializeError(err: Error, seen = new Set<Error>()): Record<string, unknown> {
  seen.add(err);
  const s = pino.stdSerializers.errWithCause(err) as unknown as Record<string, unknown>;
  // Down the chain again: pino's serializer drops a cause that is no error (a string, a code) at any depth.
  const cause: unknown = err.cause;
  if (cause instanceof Error) {
    if (!seen.has(cause)) s.cause = serializeError(cause, seen);
  } else if (cause !== undefined) {
    s.cause = cause;
  }
  return s;
}
