// Reads served to users: the analysts' sandbox (limits, audit, catalog, saved queries) and the live device state.
export { Sandbox, type RunOptions } from './sandbox.ts';
export { SavedQuery, resolveParams, type StoredQuery } from './saved.ts';
export { readDevices, type Device, type DeviceStatus } from './devices.ts';
