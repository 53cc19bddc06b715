// The simulator's devices enter the registry as a city's inventory would have them, through the command stream like
// any import; a device already registered keeps what people gave it.
import type { CommandBus } from '../cluster/index.ts';
import type { SimDevice } from '../../sources/simulate/types.ts';
import { submitDevices } from './submit.ts';

/** Registers the simulated devices not registered yet; answers how many were new. */
export function registerSimulated(devices: readonly SimDevice[], commands: CommandBus): Promise<number> {
  const rows = devices.flatMap((d) => (d.owner ? [{ id: d.id, family: d.family, area: d.area, ...d.owner }] : []));
  return submitDevices(commands, rows, { by: 'simulator', keep: true });
}
