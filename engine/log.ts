// A small structured logger: one JSON line per record when not on a terminal, readable lines when on one.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export function createLogger(level: LogLevel, bindings: Record<string, unknown> = {}, pretty = process.stderr.isTTY): Logger {
  const min = RANK[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[lvl] < min) return;
    const record = { time: new Date().toISOString(), level: lvl, msg, ...bindings, ...fields };
    if (pretty) {
      const extra = { ...bindings, ...fields };
      const tail = Object.keys(extra).length ? ' ' + JSON.stringify(extra, errorReplacer) : '';
      process.stderr.write(`${record.time.slice(11, 23)} ${lvl.toUpperCase().padEnd(5)} ${msg}${tail}\n`);
    } else {
      process.stderr.write(JSON.stringify(record, errorReplacer) + '\n');
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (b) => createLogger(level, { ...bindings, ...b }, pretty),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
