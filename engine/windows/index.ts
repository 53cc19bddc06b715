// Event-time windows: alignment, dirty tracking and watermarks.
export { DirtyWindows, coalesce, type Range } from './dirty.ts';
export { Watermarks } from './watermark.ts';
