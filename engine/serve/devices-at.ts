// Devices as they stood at a replayed instant (`?at=`), for the wall's playback; without it, as they stand now.
import { z } from 'zod';
import { readDevices, type Device } from '../query/index.ts';
import { retentionCutoff } from '../store/retention.ts';
import type { ServeContext } from './context.ts';
import { isoTime } from './validate.ts';

export const DevicesQuery = z.object({ at: isoTime.optional() });

/** Devices at `at` (absent: now); `gone` says why none can be told: the raw events of then are no longer kept. */
export async function devicesAt(
  ctx: ServeContext,
  at: number | undefined,
): Promise<{ devices: Device[]; gone: string | null }> {
  if (at === undefined) return { devices: await readDevices(ctx.reader, { now: Date.now() }), gone: null };
  const days = ctx.config.retainRawDays;
  // The hour before `at` must still be whole: a device silent in a partly pruned hour would look silent wrongly.
  if (at - 3_600_000 < retentionCutoff(Date.now(), days))
    return {
      devices: [],
      gone: `raw events before ${new Date(retentionCutoff(Date.now(), days)).toISOString()} are no longer kept (RETAIN_RAW_DAYS=${days}): device states then are unknown`,
    };
  return { devices: await readDevices(ctx.reader, { now: at, past: true }), gone: null };
}
