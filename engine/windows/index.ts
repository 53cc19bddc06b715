// Event-time windows: alignment, dirty tracking and watermarks.
export { DirtyWindows, coalesce, windowStart, type Range } from './dirty.ts';
export { Watermarks } from './watermark.ts';
