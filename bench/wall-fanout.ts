// Server cost of connected walls: the real engine (embedded broker and Hanoi simulator) in its own process, 0, 1 and 50
// socket.io walls subscribed to every indicator, and the engine process's CPU in each phase (from /proc).
// `npx tsx bench/wall-fanout.ts [--walls 50] [--seconds 30] [--rate 200]`
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { freePort } from '../test/support/ports.ts';
import { Child } from './lib/child.ts';
import type { EngineOut } from './lib/engine-child.ts';

const { values: args } = parseArgs({
  options: {
    walls: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
  },
});
const WALLS = Number(args.walls);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const TICKS_PER_S = 100; // USER_HZ of /proc/<pid>/stat

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const dir = mkdtempSync(join(tmpdir(), 'ioc-fanout-'));
const env = {
  ...process.env,
  DATA_DIR: dir,
  PORT: '0',
  MQTT_PORT: String(await freePort()),
  SIMULATE: '1',
  SIM_RATE: String(RATE),
  SIM_BACKFILL_H: '0',
  LOG_LEVEL: 'warn',
};
const engine = new Child<EngineOut>('./engine-child.ts', {}, env);
const { url } = await engine.next('ready', 120_000);
// Let the simulator fill the views before measuring.
await new Promise((r) => setTimeout(r, 15_000));

const walls: Socket[] = [];
let events = 0;
let bytes = 0;
/** Bytes per event name, over the whole run (all walls): what the wire carries. */
const byEvent = new Map<string, number>();

async function connect(n: number): Promise<void> {
  while (walls.length < n) {
    const socket = io(url, { transports: ['websocket'], forceNew: true });
    socket.onAny((name: string, ...args: unknown[]) => {
      events++;
      for (const a of args) {
        const n = a instanceof ArrayBuffer || ArrayBuffer.isView(a) ? a.byteLength : JSON.stringify(a).length;
        bytes += n;
        byEvent.set(name, (byEvent.get(name) ?? 0) + n);
      }
    });
    await new Promise<void>((resolve, reject) => {
      // As the wall does: every indicator, devices as Arrow batches.
      socket.once('connect', () => {
        socket.emit('subscribe', { devices: 'arrow' });
        resolve();
      });
      socket.once('connect_error', reject);
    });
    walls.push(socket);
  }
}

async function phase(n: number): Promise<Record<string, number>> {
  await connect(n);
  await new Promise((r) => setTimeout(r, 3_000));
  const c0 = cpuTicks(engine.pid);
  const e0 = events;
  const b0 = bytes;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1_000));
  const s = (Date.now() - t0) / 1000;
  const cpuPct = ((cpuTicks(engine.pid) - c0) / TICKS_PER_S / s) * 100;
  const r = {
    walls: n,
    seconds: Math.round(s),
    engineCpuPct: Math.round(cpuPct * 10) / 10,
    eventsPerWallPerS: n ? Math.round(((events - e0) / n / s) * 10) / 10 : 0,
    kBPerWallPerS: n ? Math.round(((bytes - b0) / n / s / 1024) * 10) / 10 : 0,
  };
  process.stderr.write(`${JSON.stringify(r)}\n`);
  return r;
}

// Load varies with the simulator's bursts: alternate the phases and compare means.
const phases: Record<string, number>[] = [];
const idle: number[] = [];
const full: number[] = [];
for (let round = 0; round < 2; round++) {
  for (const w of walls.splice(0)) w.close();
  const zero = await phase(0);
  idle.push(zero['engineCpuPct']!);
  const many = await phase(WALLS);
  full.push(many['engineCpuPct']!);
  phases.push(zero, many);
}
const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const result = {
  at: new Date().toISOString(),
  machine:
    '2 CPU cores; engine, embedded broker and simulator in one process; walls are socket.io clients (in the bench process) subscribed to every indicator',
  simRate: RATE,
  phases,
  engineCpuPctNoWalls: Math.round(mean(idle) * 10) / 10,
  engineCpuPctWithWalls: Math.round(mean(full) * 10) / 10,
  cpuPctPerWall: Math.round(((mean(full) - mean(idle)) / WALLS) * 100) / 100,
  bytesShareByEvent: Object.fromEntries(
    [...byEvent].map(([k, v]) => [k, Math.round((v / Math.max(bytes, 1)) * 1000) / 10]),
  ),
};
for (const w of walls) w.close();
await engine.end();
rmSync(dir, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'wall-fanout.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
