// Registry changes as commands: many devices go in slices of IMPORT_SLICE (each a command well inside a NATS
// message), all stamped with one time and author, so every replica writes the same rows.
import { IMPORT_SLICE, type CommandBus } from '../cluster/index.ts';
import type { ImportRow } from './csv-import.ts';

/** Registers the devices (with `keep`, only those not registered yet); answers how many rows changed. */
export async function submitDevices(
  commands: CommandBus,
  rows: readonly ImportRow[],
  opts: { by: string; keep: boolean },
): Promise<number> {
  const at = Date.now();
  let changed = 0;
  for (let i = 0; i < rows.length; i += IMPORT_SLICE) {
    const done = (await commands.submit({
      type: 'devices.put',
      devices: rows.slice(i, i + IMPORT_SLICE),
      keep: opts.keep,
      by: opts.by,
      at,
    })) as { changed: number };
    changed += done.changed;
  }
  return changed;
}
