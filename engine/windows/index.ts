// Event-time windows: alignment and dirty tracking.
export { DirtyWindows, coalesce, windowStart, type Range } from './dirty.ts';
