// The devices layer as Arrow: one binary download decoded into columns, no JSON object per device.
import { tableFromIPC, type Table } from 'apache-arrow';
import { ApiError } from '../shared/api.ts';

const PATH = '/api/layers/devices';

export async function fetchDeviceLayer(signal?: AbortSignal): Promise<Table> {
  let response: Response;
  try {
    response = await fetch(PATH, {
      headers: { accept: 'application/vnd.apache.arrow.stream' },
      signal: signal ?? null,
    });
  } catch (cause) {
    throw new ApiError(PATH, null, `${PATH}: network error`, { cause });
  }
  if (!response.ok) throw new ApiError(PATH, response.status, `${PATH}: HTTP ${response.status}`);
  try {
    return tableFromIPC(new Uint8Array(await response.arrayBuffer()));
  } catch (cause) {
    throw new ApiError(PATH, response.status, `${PATH}: not an Arrow stream`, { cause });
  }
}

/** A live `devices:arrow` frame. */
export function decodeDeviceBatch(bytes: ArrayBuffer): Table {
  return tableFromIPC(new Uint8Array(bytes));
}
