// The engines a page may fail over between (`?engines=`, or the engine's ENGINES served at /api/engines) and which of
// them is ready to take it.
import { enginesSchema } from './wire/engines.ts';

/** The engine that served the page. */
export const PAGE_ENGINE = location.origin;

/** How long a replica has to say whether it is ready when no other is: the wall must be back within 5 s. */
const PROBE_TIMEOUT_MS = 2_500;

/** `http(s)://host[:port][/prefix]` without a trailing slash (as the engine writes ENGINES), or null. */
export function engineBase(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password || u.search || u.hash) return null;
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** What the wall's chrome shows: the address without its scheme. */
export function engineLabel(base: string): string {
  return base.replace(/^https?:\/\//, '');
}

async function servedEngines(): Promise<string[]> {
  try {
    const res = await fetch(`${PAGE_ENGINE}/api/engines`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    // An engine from before the setting answers 404: it knows of no other.
    if (!res.ok) return [];
    const parsed = enginesSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.engines.map(engineBase).filter((b): b is string => b !== null) : [];
  } catch {
    return [];
  }
}

/**
 * The failover list in order of preference. `?engines=` orders or narrows what the engine serves, but adds nothing to
 * it: the live feed carries the page's token, so a crafted link must not send it to an address of its choosing (the
 * page's content security policy would refuse such an engine's API anyway).
 */
export async function resolveEngines(search: string = location.search): Promise<string[]> {
  const served = await servedEngines();
  const asked = new URLSearchParams(search).get('engines');
  let list = served;
  if (asked !== null) {
    const known = new Set([PAGE_ENGINE, ...served]);
    list = [];
    for (const part of asked.split(',').filter((p) => p.trim() !== '')) {
      const base = engineBase(part);
      if (base !== null && known.has(base)) list.push(base);
      else console.warn(`engines: ${part} left out: not this engine nor one of its ENGINES`);
    }
  }
  list = [...new Set(list)];
  return list.length > 0 ? list : [PAGE_ENGINE];
}

type Readiness = 'ready' | 'behind' | 'down';

/** GET /api/ready: 200 ready, 503 still catching up; an engine from before the route answers 404 and counts as ready. */
async function readiness(base: string, patience: number): Promise<Readiness> {
  try {
    const res = await fetch(`${base}/api/ready`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS * patience),
    });
    return res.ok || res.status === 404 ? 'ready' : 'behind';
  } catch {
    return 'down';
  }
}

/**
 * The engine to try next. All are asked at once and the first to say it is ready is taken, so a replica that hangs
 * costs nothing while another answers. When none is ready: the first in turn from the one after `after` that answers
 * at all (a replica still catching up shows more than a dark wall), else null. `patience` multiplies the time each has
 * to answer.
 */
export function chooseEngine(engines: readonly string[], after: string | null, patience = 1): Promise<string | null> {
  const at = after === null ? -1 : engines.indexOf(after);
  const order = [...engines.slice(at + 1), ...engines.slice(0, at + 1)];
  return new Promise((resolve) => {
    const answers: (Readiness | undefined)[] = order.map(() => undefined);
    let settled = false;
    order.forEach((base, i) => {
      void readiness(base, patience).then((r) => {
        answers[i] = r;
        if (settled) return;
        if (r === 'ready') {
          settled = true;
          resolve(base);
        } else if (answers.every((a) => a !== undefined)) {
          settled = true;
          const behind = answers.indexOf('behind');
          resolve(behind >= 0 ? order[behind]! : null);
        }
      });
    });
    if (order.length === 0) resolve(null);
  });
}
