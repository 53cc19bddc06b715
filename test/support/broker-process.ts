// A broker as a child process that cannot outlive the test process that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { waitForPort } from './ports.ts';

const HOST = '127.0.0.1';

// The broker runs under a small shell that holds our stdin: when this process ends in any way (even
// SIGKILL, which runs no exit handler) the pipe closes, `cat` returns and the broker is terminated.
// Asynchronous lists get /dev/null as stdin, hence the copy on fd 3.
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'p=$!',
  'echo "$p"',
  '{ cat <&3 >/dev/null; kill -TERM "$p" 2>/dev/null; } &',
  'wait "$p"',
].join('\n');

const live = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Faster than the watchdog on an orderly exit, so the next test process finds the port free.
  process.once('exit', () => {
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

export class BrokerProcess {
  private child: ChildProcess | undefined;
  private pid: number | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';

  constructor(
    private readonly name: string,
    private readonly argv: readonly string[],
    private readonly logFile: string,
  ) {}

  async start(port: number): Promise<void> {
    installExitHook();
    this.stderr = '';
    this.pid = undefined;
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'watchdog', ...this.argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let exitCode: number | null = null;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        exitCode = code;
        if (this.pid !== undefined) live.delete(this.pid);
        child.stdin?.destroy(); // lets the watchdog's cat finish too
        resolve();
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4_000);
    });
    // The first line is the broker's pid; the rest is drained so a chatty broker never blocks on it.
    let head = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (this.pid !== undefined) return;
      head += chunk;
      if (!head.includes('\n')) return;
      this.pid = Number.parseInt(head, 10);
      live.add(this.pid);
    });
    const died = this.exited.then(async () => {
      throw new Error(
        `${this.name} exited (code ${String(exitCode)}) before listening on ${port}: ${await this.diagnostics()}`,
      );
    });
    try {
      await Promise.race([waitForPort(port, HOST, 15_000), died]);
    } catch (error) {
      await this.stop();
      throw error;
    }
    died.catch(() => undefined); // a later exit is reported by the next use, not as an unhandled rejection
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 5_000, 'timeout').unref());
      if ((await Promise.race([this.exited, timeout])) === 'timeout') {
        try {
          if (this.pid !== undefined) process.kill(this.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // it ended on its own meanwhile
        }
        await this.exited;
      }
    }
  }

  private async diagnostics(): Promise<string> {
    const log = await readFile(this.logFile, 'utf8').catch(() => '');
    return `${this.stderr}${log}`.trim().split('\n').slice(-10).join('\n') || '(no output)';
  }
}
