// Replays into the engine's POST /api/ingest: NDJSON bodies of up to 1,000 events per family, a few requests at a
// time, retried while the engine says it is busy; the answers are summed (stored, repeats, rejected and why).
import type { ReplayFamily } from './read.ts';
import { Outstanding } from './outstanding.ts';
import type { Target, TargetReport } from './target.ts';

const BATCH = 1000;
const MAX_AGE_MS = 200;

interface Answer {
  stored: number;
  duplicates: number;
  rejected: { id: string | null; reason: string }[];
}

export async function openHttpTarget(url: string, token?: string): Promise<Target> {
  const base = url.replace(/\/+$/, '');
  const endpoint = /\/api\/ingest$/.test(base) ? base : `${base}/api/ingest`;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await fetch(`${endpoint.replace(/\/api\/ingest$/, '')}/api/health`).catch((err: Error) => {
    throw new Error(`cannot reach the engine at ${base}: ${err.message}`);
  });
  const report: Required<TargetReport> = { sent: 0, stored: 0, duplicates: 0, rejected: [] };
  const outstanding = new Outstanding(4);
  const batches = new Map<ReplayFamily, { lines: string[]; since: number }>();

  const post = async (family: ReplayFamily, body: string, count: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${endpoint}?family=${family}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-ndjson', ...auth },
      });
      const answer = (await res.json().catch(() => null)) as (Answer & { error?: { message: string } }) | null;
      if (res.status === 503 && attempt < 60) {
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        continue;
      }
      if (!res.ok || !answer)
        throw new Error(
          `POST ${endpoint}?family=${family} answered ${res.status}: ${answer?.error?.message ?? res.statusText}`,
        );
      report.sent += count;
      report.stored += answer.stored;
      report.duplicates += answer.duplicates;
      for (const r of answer.rejected) report.rejected.push({ family, ...r });
      return;
    }
  };
  const flush = async (family: ReplayFamily): Promise<void> => {
    const b = batches.get(family);
    if (!b || b.lines.length === 0) return;
    batches.delete(family);
    await outstanding.add(post(family, b.lines.join('\n') + '\n', b.lines.length));
  };

  // A slow replay still sends promptly: a batch goes when full, or once it is MAX_AGE_MS old.
  const timer = setInterval(() => {
    for (const [f, b] of batches) if (Date.now() - b.since >= MAX_AGE_MS) void flush(f).catch(() => undefined);
  }, MAX_AGE_MS);
  timer.unref();
  return {
    label: base,
    async send(family, event) {
      let b = batches.get(family);
      if (!b) batches.set(family, (b = { lines: [], since: Date.now() }));
      b.lines.push(JSON.stringify(event));
      if (b.lines.length >= BATCH) await flush(family);
    },
    async finish() {
      for (const f of [...batches.keys()]) await flush(f);
      await outstanding.drain();
      return report;
    },
    close: async () => {
      clearInterval(timer);
    },
  };
}
