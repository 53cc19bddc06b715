// Reads served to users: the analysts' sandbox (limits, audit, catalog, saved queries) and the live device state.
export { Sandbox, typeName, type SqlAnswer, type SqlColumn, type SandboxOptions, type RunOptions, type ResultStream } from './sandbox.ts';
export { SavedQuery, ParamDef, resolveParams, type StoredQuery } from './saved.ts';
export type { Catalog, CatalogTable, CatalogColumn } from './catalog.ts';
export { readDevices, SILENT_AFTER_MS, type Device, type DeviceStatus } from './devices.ts';
