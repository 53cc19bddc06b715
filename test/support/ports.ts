// TCP helpers for tests: free ports, waiting for a listener, reading a server's greeting.
import net from 'node:net';

const HOST = '127.0.0.1';

// Ports handed out come from below the kernel's ephemeral range (32768+ here), where outgoing connections take their
// local ports: a port found free there can be taken by any client socket before the test binds it. Each vitest
// worker draws from its own slice, so two test files running at once never get the same one either.
const LOW = 10_000;
const HIGH = 32_000;
const SLICES = 8;
const given = new Set<number>();

function canBind(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? process.pid) % SLICES;
  const width = Math.floor((HIGH - LOW) / SLICES);
  const base = LOW + worker * width;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = base + Math.floor(Math.random() * width);
    if (given.has(port)) continue;
    if (!(await canBind(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free TCP port in ${base}..${base + width - 1}`);
}

/** One connection attempt: does anything accept on host:port? */
export function portAnswers(port: number, host = HOST, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitForPort(port: number, host = HOST, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await portAnswers(port, host, Math.max(100, Math.min(1_000, deadline - Date.now())))) return;
    if (Date.now() >= deadline)
      throw new Error(`nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first line a server sends on connect (NATS greets with `INFO {…}`), without its CRLF. */
export function readFirstLine(port: number, host = HOST, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${host}:${port} sent no complete line within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end < 0) return;
      socket.destroy();
      resolve(text.slice(0, end));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`${host}:${port} closed before sending a line`)));
  });
}
