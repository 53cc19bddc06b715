// Reads served to users: the analysts' sandbox and the live device state.
export { Sandbox, type SqlAnswer, type SandboxOptions } from './sandbox.ts';
export { readDevices, SILENT_AFTER_MS, type Device, type DeviceStatus } from './devices.ts';
