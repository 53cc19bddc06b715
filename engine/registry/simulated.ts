// The simulator's devices enter the registry as a city's inventory would have them, through the command stream like
// any import; a device already registered keeps what people gave it.
import { IMPORT_SLICE, type CommandBus } from '../cluster/index.ts';
import type { SimDevice } from '../../sources/simulate/types.ts';
import type { ImportRow } from './csv-import.ts';

/** Registers the simulated devices not registered yet; answers how many were new. */
export async function registerSimulated(devices: readonly SimDevice[], commands: CommandBus): Promise<number> {
  const rows: ImportRow[] = devices.flatMap((d) =>
    d.owner ? [{ id: d.id, family: d.family, area: d.area, ...d.owner }] : [],
  );
  let added = 0;
  for (let i = 0; i < rows.length; i += IMPORT_SLICE) {
    const done = (await commands.submit({
      type: 'devices.put',
      devices: rows.slice(i, i + IMPORT_SLICE),
      keep: true,
      by: 'simulator',
      at: Date.now(),
    })) as { changed: number };
    added += done.changed;
  }
  return added;
}
