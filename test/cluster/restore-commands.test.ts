// A replica restored from a backup gets back the people's changes made after it: the backup records how far the
// replica applied the command stream, and `ioc restore` makes it apply the rest again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, restoreCommand } from '../../bin/backup.ts';
import type { Manifest } from '../../engine/store/backup.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let broker: BrokerHandle | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'ioc-restore-cmd-'));
const engines: TestEngine[] = [];

beforeAll(async () => {
  broker = await privateNats();
});
afterAll(async () => {
  for (const e of engines) await e.dispose().catch(() => undefined);
  await broker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a CLI step with its output kept out of the test log; answers the exit code and what it printed. */
async function quiet(run: () => Promise<number>): Promise<{ code: number; text: string }> {
  const said: string[] = [];
  const [o, e] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((s: string) => (said.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (said.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await run(), text: said.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const put = (e: TestEngine, name: string) =>
  fetch(`${e.url}/api/queries/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql: `SELECT '${name}' AS q` }),
  });

describe('restoring a replica', () => {
  it('applies again the commands made after its backup', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const dataDir = join(scratch, 'r');
    const first = await startTestEngine({ natsUrl: broker!.url, replica: 'r', dataDir });
    expect((await put(first, 'before_backup')).status).toBe(200);
    const dir = join(scratch, 'backup');
    const backedUp = await quiet(() => backupCommand([dir, '--url', first.url], { PATH: process.env.PATH }));
    expect(backedUp.code, backedUp.text).toBe(0);
    const manifest = (await import(join(dir, 'backup.json'), { with: { type: 'json' } })) as { default: Manifest };
    expect(manifest.default.commands).toMatchObject({ name: 'IOC_COMMANDS', consumer: 'ioc-r-commands', seq: 1 });
    expect((await put(first, 'after_backup')).status).toBe(200);
    await first.stop();
    rmSync(dataDir, { recursive: true, force: true });

    const env = { PATH: process.env.PATH, REPLICA: 'r', NATS_URL: broker!.url };
    const restored = await quiet(() => restoreCommand([dir, '--data-dir', dataDir], env));
    expect(restored.code, restored.text).toBe(0);
    expect(restored.text).toContain('replica r applies the command stream again from sequence 2');
    const second = await startTestEngine({ natsUrl: broker!.url, replica: 'r', dataDir });
    engines.push(second);
    const names = async () =>
      ((await (await fetch(`${second.url}/api/queries`)).json()) as { queries: { name: string }[] }).queries.map(
        (q) => q.name,
      );
    const deadline = Date.now() + 5000;
    while (!(await names()).includes('after_backup') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await names()).sort()).toEqual(['after_backup', 'before_backup']);
  }, 60_000);
});
