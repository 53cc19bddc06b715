// The devices layer as Arrow: one binary download decoded into columns, no JSON object per device.
import { tableFromIPC, type Table } from 'apache-arrow';
import { ApiError } from '../shared/api.ts';

const PATH = '/api/layers/devices';

/** The devices now, or as they stood at `at` (a replayed time). */
export async function fetchDeviceLayer(signal?: AbortSignal, at?: number): Promise<Table> {
  return (await fetchDevicesAt(signal, at)).table;
}

/** With `at`: `unknown` says why the layer is empty, the raw events of then being no longer kept. */
export async function fetchDevicesAt(
  signal?: AbortSignal,
  at?: number,
): Promise<{ table: Table; unknown: string | null }> {
  const url = at === undefined ? PATH : `${PATH}?at=${encodeURIComponent(new Date(at).toISOString())}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/vnd.apache.arrow.stream' },
      signal: signal ?? null,
    });
  } catch (cause) {
    throw new ApiError(PATH, null, `${PATH}: network error`, { cause });
  }
  if (!response.ok) throw new ApiError(PATH, response.status, `${PATH}: HTTP ${response.status}`);
  try {
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    return { table, unknown: response.headers.get('x-devices-unknown') };
  } catch (cause) {
    throw new ApiError(PATH, response.status, `${PATH}: not an Arrow stream`, { cause });
  }
}

/** A live `devices:arrow` frame. */
export function decodeDeviceBatch(bytes: ArrayBuffer): Table {
  return tableFromIPC(new Uint8Array(bytes));
}
