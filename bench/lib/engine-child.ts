// The engine under test in its own process (configured by the environment, as `ioc start` is), reporting its counters over IPC.
import { startEngine } from '../../engine/main.ts';
import { childArgs, onStop, toParent } from './child.ts';

export type EngineOut =
  | { type: 'ready'; url: string }
  | {
      type: 'stats';
      messages: number;
      stored: number;
      deadLetters: number;
      pendingRows: number;
      firstAt: number;
      lastCommitAt: number;
      maxRssKb: number;
      dbPath: string;
    };

childArgs<Record<string, never>>();
const engine = await startEngine();
const stats = engine.batcher.stats;
// The receive time of the first message (to within 10 ms), without touching the engine's hot path.
let firstAt = 0;
const watch = setInterval(() => {
  if (stats.messages > 0) {
    firstAt = Date.now();
    clearInterval(watch);
  }
}, 10);

onStop(() => engine.stop());
process.on('message', (m) => {
  if ((m as { type?: string }).type !== 'stats') return;
  toParent({
    type: 'stats',
    messages: stats.messages,
    stored: stats.stored.camera + stats.stored.sensor + stats.stored.service,
    deadLetters: stats.deadLetters,
    pendingRows: engine.batcher.pendingRows,
    firstAt,
    lastCommitAt: stats.lastCommitAt ?? 0,
    maxRssKb: process.resourceUsage().maxRSS,
    dbPath: engine.store.path,
  });
});
toParent({ type: 'ready', url: engine.url });
