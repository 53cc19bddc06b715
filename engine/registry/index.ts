export { DeviceEntry, DeviceId, entryProblem } from './entry.ts';
export { CSV_COLUMNS, MAX_IMPORT_ROWS, parseRegistryCsv } from './csv-import.ts';
export { REGISTRY_TABLE, Registry } from './store.ts';
export { registerSimulated } from './simulated.ts';
export { submitDevices } from './submit.ts';
