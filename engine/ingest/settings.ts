// Ingestion's settings: the batches, what a message may be, and how much may wait for its commit.
import { z } from 'zod';
import { int } from '../config-fields.ts';

export const IngestSettings = z.object({
  batchRows: int(1, 1_000_000).default(10_000).describe('a batch is committed when it holds this many rows'),
  batchAgeMs: int(1, 60_000).default(100).describe('… or is this old'),
  batchQuietRows: int(0, 1_000_000)
    .default(50)
    .describe('a batch holding fewer rows than this at `BATCH_AGE_MS` waits for more (0: never)…'),
  batchQuietAgeMs: int(1, 60_000)
    .default(400)
    .describe(
      '… until it is this old: a quiet city commits a few times a second, not ten, for a commit costs about the same whatever it holds',
    ),
  maxPayloadBytes: int(64, 64 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('larger messages are dead-lettered'),
  maxFutureMs: int(0, 7 * 86_400_000)
    .default(3_600_000)
    .describe("events stamped further ahead of the engine's clock are dead-lettered (bad device clocks)"),
  maxInFlightBytes: int(1024 * 1024, 4 * 1024 * 1024 * 1024)
    .default(64 * 1024 * 1024)
    .describe('payload bytes delivered and not yet committed, per source (MQTT, NATS): past it a source takes no more'),
});
