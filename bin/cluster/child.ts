// One process `ioc cluster` runs: output appended to its log file, started until its port answers, stopped in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface ChildSpec {
  /** How the messages name it: `NATS node n1`, `replica a`. */
  label: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Started once this loopback port accepts connections. */
  port: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Is something listening on 127.0.0.1:port already? */
export const portInUse = portAnswers;

export class Child {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Called when the process ends by itself (not through stop()), with its code or signal. */
  onUnexpectedExit: (how: string) => void = () => undefined;

  constructor(readonly spec: ChildSpec) {}

  get pid(): number | undefined {
    return this.proc?.exitCode === null && this.proc.signalCode === null ? this.proc.pid : undefined;
  }

  /** Starts the process and resolves once its port answers; rejects with its log's tail if it ends first. */
  async start(timeoutMs: number): Promise<void> {
    const log = openSync(this.spec.logFile, 'a');
    // Its own process group: Ctrl-C reaches only `ioc cluster`, which stops the replicas before the servers they use.
    const proc = spawn(this.spec.command, [...this.spec.args], {
      env: this.spec.env ?? process.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    this.proc = proc;
    const state: { ended: string | null; up: boolean } = { ended: null, up: false };
    this.exited = new Promise((resolve) => {
      proc.once('error', (err) => {
        state.ended = err.message; // it never ran
        resolve();
      });
      proc.once('exit', (code, signal) => {
        state.ended = signal ?? `exit code ${String(code)}`;
        if (this.proc === proc && state.up) this.onUnexpectedExit(state.ended);
        resolve();
      });
    });
    const deadline = Date.now() + timeoutMs;
    while (!(await portAnswers(this.spec.port))) {
      if (state.ended !== null)
        throw new Error(`${this.spec.label} ended (${state.ended}) while starting:\n${this.logTail()}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(
          `${this.spec.label} did not listen on ${this.spec.port} within ${timeoutMs} ms:\n${this.logTail()}`,
        );
      }
      await sleep(100);
    }
    state.up = true;
  }

  /** SIGTERM, then SIGKILL past `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 15_000): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** For an exit hook, where nothing asynchronous runs any more. */
  killNow(): void {
    this.proc?.kill('SIGKILL');
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
