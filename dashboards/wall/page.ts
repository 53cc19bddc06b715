// The wall page: its elements in index.html and the options in its address (kiosk mode, when data is stale).
import { byId as elementById } from '../shared/dom.ts';

const params = new URLSearchParams(location.search);
/** Kiosk mode: a wall screen nobody touches. No controls; it reconnects by itself and says when data is stale. */
export const KIOSK = params.get('kiosk') === '1';
/** Seconds without an update before the data is called stale (30 s by default). */
export const STALE_MS = Math.max(2, Number(params.get('stale')) || 30) * 1_000;

const byId = <T extends HTMLElement>(id: string): T => elementById<T>(id, 'wall');

export type WallElements = ReturnType<typeof pageElements>;

export function pageElements() {
  return {
    title: byId('title'),
    subtitle: byId('subtitle'),
    simulated: byId('simulated'),
    conn: byId('conn'),
    engine: byId('engine'),
    clockTime: byId('clock-time'),
    clockDate: byId('clock-date'),
    lang: byId<HTMLButtonElement>('lang'),
    map: byId<HTMLDivElement>('map'),
    indicatorLabel: byId('indicator-label'),
    indicatorSelect: byId<HTMLSelectElement>('indicator-select'),
    legend: byId('legend'),
    hexControl: byId('hex-control'),
    hexLegend: byId('hex-legend'),
    feedbackControl: byId('feedback-control'),
    feedbackLegend: byId('feedback-legend'),
    areaTools: byId('area-tools'),
    attribution: byId('attribution'),
    deviceLegend: byId('device-legend'),
    notice: byId('notice'),
    tiles: byId('tiles'),
    stale: byId('stale-banner'),
    ticker: byId('ticker'),
    card: byId('card'),
    playback: byId('playback'),
    replayBanner: byId('replay-banner'),
    incidentsToggle: byId<HTMLButtonElement>('incidents-toggle'),
    incidentsLabel: byId('incidents-label'),
    incidentsCount: byId('incidents-count'),
    incidentRoom: byId('incident-room'),
    trustToggle: byId<HTMLButtonElement>('trust-toggle'),
    trustLabel: byId('trust-label'),
    trustCount: byId('trust-count'),
    trust: byId('trust'),
  };
}
