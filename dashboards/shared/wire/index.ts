// The wire contract between the engine and the pages: every REST answer and socket.io event as a zod schema, the
// socket.io event maps, the VN_AQI tables and Hanoi time. Pure: imported by the engine and bundled into the pages.
export * from './alerts.ts';
export * from './areas.ts';
export * from './briefing.ts';
export * from './devices.ts';
export * from './fields.ts';
export * from './hanoi-time.ts';
export * from './health.ts';
export * from './indicators.ts';
export * from './live.ts';
export * from './queries.ts';
export * from './vn-aqi.ts';
export * from './changes.ts';
export * from './engines.ts';
export * from './views.ts';
export * from './rules.ts';
export * from './feedback-layer.ts';
export * from './feedback-categories.ts';
export * from './trust.ts';
export * from './basemap.ts';
