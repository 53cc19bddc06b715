// The HTTP server's settings: where it listens, the largest ingest body it takes, and the engines a wall may fail over to.
import { z } from 'zod';
import { int } from '../config-fields.ts';

/**
 * Engine base URLs as the pages use them: `http(s)://host[:port][/prefix]`, written without a trailing slash, so the
 * list compares equal to what the pages were given in `?engines=`.
 */
const engineList = z.string().transform((s, ctx) => {
  const out: string[] = [];
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let u: URL | null = null;
    try {
      u = new URL(part);
    } catch {
      // named below
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" must be an engine's base URL, http:// or https:// with no credentials, query or fragment, e.g. http://10.0.0.2:8080`,
      });
      return z.NEVER;
    }
    const base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
    if (!out.includes(base)) out.push(base);
  }
  return out;
});

export const ServeSettings = z.object({
  host: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('address the HTTP server binds to (loopback unless you say otherwise)'),
  port: int(0, 65535).default(8080).describe('HTTP port (`0`: any free port)'),
  ingestMaxBytes: int(1024, 1024 * 1024 * 1024)
    .default(16 * 1024 * 1024)
    .describe('largest body `POST /api/ingest` takes'),
  engines: engineList.default([]).meta({
    description:
      'the replicas a wall fails over between, as base URLs separated by commas (`http://10.0.0.1:8080,http://10.0.0.2:8080`), the same on every replica: served to the pages by `GET /api/engines`, and the only origins given CORS on `/api/*` and the live feed',
    shownDefault: 'unset',
  }),
});
