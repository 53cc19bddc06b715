// Runs the engine as a child process (`ioc start`), the way operators run it, so a test can kill it with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const IOC = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));

export class EngineProcess {
  private child: ChildProcess | null = null;
  log = '';

  constructor(private readonly env: Record<string, string>) {}

  /** Starts `ioc start` and resolves once it says it is up. */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, [IOC, 'start'], {
      // The PostgreSQL door's fixed default port would collide between engines: a test that uses it sets PG_PORT.
      env: { ...process.env, PG_PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`engine did not start within ${timeoutMs} ms:\n${this.log.slice(-2000)}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        this.log += chunk.toString();
        if (this.log.includes('engine is up')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`engine exited (${code ?? signal}) while starting:\n${this.log.slice(-2000)}`));
      });
    });
  }

  /** The engine's process id (the node process that runs `ioc start`), while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(sig);
    await exited;
  }
}
