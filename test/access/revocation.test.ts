// Revoking a token cuts its live sockets off within a second, whether the engine's own token store or another process
// (`ioc token revoke`, writing the token file) revokes it, and the handshake refuses it from then on.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/engine.ts';
import { connectSocket, sleep, startAuthEngine, type AuthEngine } from './auth-engine.ts';

let a: AuthEngine;
beforeAll(async () => {
  a = await startAuthEngine();
});
afterAll(async () => {
  await a?.engine.dispose();
});

/** Milliseconds from now until the socket's 'disconnect', or null if it stays connected for `ms`. */
const disconnectedWithin = (s: Socket, ms: number): Promise<number | null> =>
  new Promise((resolve) => {
    const start = performance.now();
    const timer = setTimeout(() => resolve(null), ms);
    s.once('disconnect', () => {
      clearTimeout(timer);
      resolve(performance.now() - start);
    });
  });

describe('revoking a token disconnects its live sockets', () => {
  it('a revocation written to the token file (as by another process) cuts the wall and its tiles off within 1 s', async () => {
    const tok = a.tokens.create('wall-3', 'operator');
    const wall = await connectSocket(a.engine.url, tok);
    const tiles = await connectSocket(a.engine.url, tok, '/queries');
    const bystander = await connectSocket(a.engine.url, a.token.operator);
    await sleep(300);

    const wallGone = disconnectedWithin(wall, 1000);
    const tilesGone = disconnectedWithin(tiles, 1000);
    const bystanderGone = disconnectedWithin(bystander, 1500);
    // A TokenStore of its own, not the engine's: the engine learns of it only through the file.
    a.tokens.revoke('wall-3');

    expect(await wallGone, 'the wall socket stays connected').not.toBeNull();
    expect(await tilesGone, 'the tiles socket stays connected').not.toBeNull();
    expect(await bystanderGone, 'another token is not touched').toBeNull();
    await expect(connectSocket(a.engine.url, tok)).rejects.toThrow('unauthorized');
    bystander.close();
  });

  it('`ioc token revoke` from another process does the same', async () => {
    const tok = a.tokens.create('wall-4', 'leader');
    const wall = await connectSocket(a.engine.url, tok);
    await sleep(300);
    let cut: number | null = null;
    wall.once('disconnect', () => {
      cut = performance.now();
    });
    // Not spawnSync: the engine runs in this process and must keep its event loop while the command runs.
    await promisify(execFile)(process.execPath, ['bin/ioc.mjs', 'token', 'revoke', 'wall-4'], {
      env: { ...process.env, DATA_DIR: a.engine.dir },
    });
    // Measured from the command's end (it wrote the file just before): its start-up time is not the engine's.
    const ended = performance.now();
    await until(
      () => cut,
      (t) => t !== null,
      1000,
    );
    expect(cut! - ended).toBeLessThan(1000);
    await expect(connectSocket(a.engine.url, tok)).rejects.toThrow('unauthorized');
    expect((await a.call('GET', '/api/alerts', tok)).status).toBe(401);
  }, 30_000);
});
