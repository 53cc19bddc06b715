// The HTTP server's settings: where it listens, and the largest ingest body it takes.
import { z } from 'zod';
import { int } from '../config-fields.ts';

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
});
