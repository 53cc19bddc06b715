// The PostgreSQL wire-protocol door for BI tools: the listener the engine starts (its settings are in settings.ts).
export { startPgDoor, type PgDoor } from './server.ts';
