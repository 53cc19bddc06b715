// `npm start`'s own set-up (embedded broker and simulator) stops cleanly: every shutdown step succeeds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Logger } from '../../engine/log.ts';
import { startEngine } from '../../engine/main.ts';
import { freePort } from '../support/ports.ts';
import { until } from '../support/engine.ts';

function recorder(lines: string[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => {
      lines.push(`warn ${msg} ${JSON.stringify(fields ?? {})}`);
    },
    error: (msg, fields) => {
      lines.push(`error ${msg} ${JSON.stringify(fields ?? {})}`);
    },
    child: () => log,
  };
  return log;
}

it('stops the simulator, the broker and the rest without a failed step', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-shutdown-'));
  const lines: string[] = [];
  const engine = await startEngine(
    {
      dataDir: dir,
      port: 0,
      pgPort: 0,
      mqttPort: await freePort(),
      simulate: true,
      simRate: 100,
      simBackfillH: 0,
      logLevel: 'warn',
    },
    {},
    recorder(lines),
  );
  try {
    await until(
      () => engine.batcher.stats.messages,
      (n) => n > 20,
    );
    // What the engine shows is marked as simulated while its simulator feeds it.
    const health = (await (await fetch(`${engine.url}/api/health`)).json()) as { simulated: boolean };
    expect(health.simulated).toBe(true);
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(lines.filter((l) => l.includes('shutdown step failed'))).toEqual([]);
});
