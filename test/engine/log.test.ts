// The logger: JSON lines with the level's name, bindings and fields; an error keeps its stack, own fields and whole
// cause chain under any key; levels filter; off a terminal the engine's output is JSON lines and nothing else.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { createLogger, type LogLevel } from '../../engine/log.ts';

/** An error as a record carries it. */
interface LoggedError {
  type: string;
  message: string;
  stack: string;
  cause?: LoggedError;
  [key: string]: unknown;
}

function recorded(level: LogLevel): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(level, { part: 'test' }, false, {
    write: (s: string) => {
      lines.push(JSON.parse(s) as Record<string, unknown>);
    },
  });
  return { lines, log };
}

describe('createLogger', () => {
  it('writes a record as one JSON object: level name, ISO time, bindings, fields, message', () => {
    const { lines, log } = recorded('info');
    log.child({ view: 'pm25' }).info('refreshed', { rows: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', part: 'test', view: 'pm25', rows: 3, msg: 'refreshed' });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);
    expect(lines[0]).not.toHaveProperty('pid');
  });

  it('keeps an error’s type, stack, own fields and every cause, under err or any other key', () => {
    const { lines, log } = recorded('info');
    const root = new TypeError('socket hang up', { cause: 'ECONNRESET' });
    const err = new EngineError('unavailable', 'broker unreachable', {
      cause: new Error('connect failed', { cause: root }),
    });
    log.error('batch commit failed', { err, also: root });
    const { err: e, also } = lines[0] as unknown as { err: LoggedError; also: LoggedError };
    expect(e).toMatchObject({ type: 'EngineError', message: 'broker unreachable', code: 'unavailable', status: 503 });
    expect(e.stack).toMatch(/^EngineError: broker unreachable\n\s+at /);
    expect(e.cause).toMatchObject({ type: 'Error', message: 'connect failed' });
    expect(e.cause!.stack).toMatch(/^Error: connect failed\n\s+at /);
    expect(e.cause!.cause).toMatchObject({ type: 'TypeError', message: 'socket hang up', cause: 'ECONNRESET' });
    expect(e.cause!.cause!.stack).toMatch(/^TypeError: socket hang up\n\s+at /);
    expect(also).toMatchObject({ type: 'TypeError', message: 'socket hang up', cause: 'ECONNRESET' });
  });

  it('survives a cause chain that loops', () => {
    const { lines, log } = recorded('info');
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    log.warn('loop', { err: a });
    expect((lines[0]!.err as { cause: { message: string } }).cause.message).toBe('b');
  });

  it('drops records below its level, and everything when silent', () => {
    const warn = recorded('warn');
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e');
    expect(warn.lines.map((l) => l.level)).toEqual(['warn', 'error']);
    const silent = recorded('silent');
    silent.log.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('off a terminal writes JSON lines on stderr and nothing on stdout', () => {
    const log = fileURLToPath(new URL('../../engine/log.ts', import.meta.url));
    const script = `import { createLogger } from ${JSON.stringify(log)};
      const log = createLogger('info', { part: 'main' });
      log.debug('not shown');
      log.info('engine is up', { port: 8080 });
      log.error('failed', { err: new Error('outer', { cause: new Error('inner') }) });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; err?: LoggedError });
    expect(lines.map((l) => l.msg)).toEqual(['engine is up', 'failed']);
    expect(lines[1]!.err!.cause!.message).toBe('inner');
  });
});
