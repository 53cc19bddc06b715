// The incident room's door: mounted as its own page (/incidents) and as the wall's side panel.
export { roomStrings } from './i18n.ts';
export { mountIncidentRoom, type IncidentRoomView } from './mount.ts';
export { fetchIncidentsDuring, incidentsAt } from './api.ts';
