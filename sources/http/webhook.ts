// POSTs JSON to a webhook, with a time limit so a slow receiver cannot hold the engine.
import type { Sink } from '../sink.ts';

export function createWebhookSink(url: string, timeoutMs = 5000): Sink {
  return {
    name: 'webhook',
    async send(_subject, payload) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
    },
    async close() {
      /* nothing held open */
    },
  };
}
