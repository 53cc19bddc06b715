// The PostgreSQL door's settings: where BI tools connect, what one result may hold, and what a connection may cost.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const PgSettings = z.object({
  pgPort: int(0, 65535)
    .default(5433)
    .describe('PostgreSQL wire-protocol port for BI tools, on `HOST` (`0`: off); the password is an analyst token'),
  // BI tools fetch whole results, so the cap is far above SQL_MAX_ROWS; rows stream, they are never held at once.
  pgMaxRows: int(1, 100_000_000)
    .default(1_000_000)
    .describe('rows one statement answers over the PostgreSQL door (then it stops with a notice)'),
  pgMaxConnections: int(1, 10_000).default(64).describe('PostgreSQL connections at once (then refused, `53300`)'),
  pgMaxMessageBytes: int(1024, 64 * 1024 * 1024)
    .default(1024 * 1024)
    .describe(
      'largest message a PostgreSQL client may send (query text, parameters); a larger one ends the connection',
    ),
  pgAuthTimeoutMs: int(100, 600_000)
    .default(10_000)
    .describe('time a PostgreSQL connection has to log in before it is closed'),
  pgTlsCert: z
    .string()
    .min(1)
    .optional()
    .describe('PEM certificate file: with `PG_TLS_KEY`, clients may use TLS (`sslmode=require`)'),
  pgTlsKey: z.string().min(1).optional().describe('PEM private key file of `PG_TLS_CERT`'),
});
