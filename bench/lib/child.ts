// Benchmark helpers run in processes of their own (publishers, bare clients, the engine), talking over Node's IPC channel.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export class Child<Out extends { type: string }> {
  private readonly proc: ChildProcess;
  private readonly waiters: { type: string; resolve: (m: Out) => void }[] = [];
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  /** Every message received, newest last, for progress readers. */
  readonly listeners = new Set<(m: Out) => void>();

  constructor(file: string, args: unknown, env: NodeJS.ProcessEnv = process.env, execArgv: string[] = []) {
    const path = fileURLToPath(new URL(file, import.meta.url));
    this.proc = fork(path, [JSON.stringify(args)], {
      execArgv: ['--import', 'tsx', ...execArgv],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
    this.proc.on('message', (raw) => {
      const m = raw as Out;
      for (const l of this.listeners) l(m);
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  send(m: { type: string } & Record<string, unknown>): void {
    if (this.proc.connected) this.proc.send(m);
  }

  /** The next message of this type; rejects when the process ends first or the time is up. */
  next<T extends Out['type']>(type: T, timeoutMs = 600_000): Promise<Extract<Out, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${type}: no answer within ${timeoutMs} ms`)), timeoutMs);
      const waiter = {
        type,
        resolve: (m: Out) => {
          clearTimeout(timer);
          resolve(m as Extract<Out, { type: T }>);
        },
      };
      this.waiters.push(waiter);
      void this.exited.then((code) => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`child ended (exit ${String(code)}) before sending ${type}`));
        }
      });
    });
  }

  /** Asks the process to end (it gets the message first), then terminates it if it lingers. */
  async end(graceMs = 15_000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** In a child: its arguments, and a typed send. */
export function childArgs<A>(): A {
  return JSON.parse(process.argv[2] ?? '{}') as A;
}

export function toParent(m: { type: string } & Record<string, unknown>): void {
  process.send?.(m);
}

/** In a child: run `onStop` when the parent says stop or goes away. */
export function onStop(handler: () => Promise<void> | void): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    Promise.resolve(handler())
      .catch((err: unknown) => console.error(err))
      .finally(() => process.exit(0));
  };
  process.on('message', (m) => {
    if ((m as { type?: string }).type === 'stop') stop();
  });
  process.on('disconnect', stop);
}
