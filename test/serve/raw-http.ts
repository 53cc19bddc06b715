// Raw HTTP/1.1 uploads over a socket, for clients that misbehave: keep sending whatever the answer, or hang up mid-body.
import { connect, type Socket } from 'node:net';

const CHUNK = 64 * 1024;

export interface RawAnswer {
  /** Body bytes the socket took before the server closed it (or all of them). */
  written: number;
  status: number | null;
  body: any;
  /** The server reset the connection: TCP may then drop an answer the client had not read yet. */
  reset: boolean;
}

async function open(base: string): Promise<Socket> {
  const u = new URL(base);
  const socket = connect(Number(u.port), u.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function head(path: string, framing: 'chunked' | number, method = 'POST'): string {
  const length = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${framing}`;
  return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${length}\r\n\r\n`;
}

function frame(bytes: Buffer, chunked: boolean): Buffer {
  return chunked
    ? Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from('\r\n')])
    : bytes;
}

function parse(text: string): Pick<RawAnswer, 'status' | 'body'> {
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  const at = text.indexOf('\r\n\r\n');
  let body: unknown = at < 0 ? null : text.slice(at + 4);
  try {
    body = JSON.parse(body as string);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: status ? Number(status[1]) : null, body };
}

/**
 * Sends `total` body bytes (declared up front, or chunked) and ignores the answer, as a hostile client would: only the
 * server closing the connection stops it. Returns how much it managed to write and what the server said.
 */
export async function floodUpload(
  base: string,
  path: string,
  total: number,
  framing: 'chunked' | 'declared',
): Promise<RawAnswer> {
  const socket = await open(base);
  const chunked = framing === 'chunked';
  let answer = '';
  let closed = false;
  let reset = false;
  socket.on('data', (d: Buffer) => {
    answer += d.toString('latin1');
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    closed = true;
    reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
  });
  const gone = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  socket.write(head(path, chunked ? 'chunked' : total));
  let written = 0;
  const block = Buffer.alloc(CHUNK, 0x20);
  while (written < total && !closed) {
    const more = socket.write(frame(block, chunked));
    written += CHUNK;
    if (!more) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), gone]);
  }
  if (chunked && !closed) socket.write('0\r\n\r\n');
  // A server that read it all still answers; then the client hangs up.
  await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  socket.destroy();
  return { written, reset, ...parse(answer) };
}

/** Sends the head of a `declared`-byte body (or a chunked one), then `sent` bytes of it, then drops the connection. */
export async function cutUpload(
  base: string,
  method: string,
  path: string,
  sent: number,
  framing: 'chunked' | 'declared',
  declared: number,
): Promise<void> {
  const socket = await open(base);
  socket.on('error', () => {
    /* the server may answer or reset first: this client is leaving anyway */
  });
  const chunked = framing === 'chunked';
  socket.write(head(path, chunked ? 'chunked' : declared, method));
  socket.write(frame(Buffer.alloc(sent, 0x20), chunked));
  // Long enough for the server to have started reading the body before the client goes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.destroy();
}
