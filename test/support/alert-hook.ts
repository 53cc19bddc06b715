// A webhook receiver for alert changes: counts each change (alert id and type) it is sent, so a test can prove each
// reached it exactly once.
import { createServer } from 'node:http';
import { freePort } from './ports.ts';

export interface AlertHook {
  url: string;
  /** `<alert id>.<type>` → how many times it arrived. */
  received: Map<string, number>;
  close(): void;
}

export async function startAlertHook(): Promise<AlertHook> {
  const port = await freePort();
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const e = JSON.parse(body) as { type: string; alert: { id: string } };
      const key = `${e.alert.id}.${e.type}`;
      received.set(key, (received.get(key) ?? 0) + 1);
      res.writeHead(204).end();
    });
  }).listen(port, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => server.close() };
}
