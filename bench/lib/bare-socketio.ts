// The transport's own ceiling for a push to the walls: a plain socket.io server in its own process that, for each
// POST, sends the body as an `incident` event to every connected client. No validation, no database, no audit.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { onStop, toParent } from './child.ts';

export type BareSocketOut = { type: 'ready'; url: string };

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    io.emit('incident', JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
const io = new Server(http);
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  toParent({ type: 'ready', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
});
onStop(async () => {
  await io.close();
});
