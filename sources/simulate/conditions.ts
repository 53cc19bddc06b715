// The city's moving conditions, as pure functions of seed, place and time: traffic rhythm, rain fronts, smog, heat.
//
// Being pure functions of time (not state carried from event to event), every device sees the same rain at the
// same moment in the same district, and generate() at a given time is the same whatever ran before it.
import { hanoiDay, hanoiHour, hanoiMonth } from './clock.ts';
import { hash01 } from './prng.ts';

const HOUR_MS = 3_600_000;
const RAIN_BLOCK_MS = 3 * HOUR_MS;

// Traffic demand by Hanoi hour (1 = an ordinary daytime hour): morning rush 7–9 h, evening rush 17–19 h.
const TRAFFIC_BY_HOUR = [
  0.2, 0.14, 0.12, 0.12, 0.18, 0.4, 0.85, 1.6, 1.7, 1.15, 0.95, 0.95, 1.0, 0.9, 0.95, 1.05, 1.3, 1.65, 1.75, 1.3, 1.05,
  0.8, 0.55, 0.32,
];

/** Relative traffic demand at a Hanoi hour, interpolated between whole hours. */
export function trafficDemand(hour: number): number {
  const h = Math.floor(hour);
  const w = hour - h;
  return TRAFFIC_BY_HOUR[h % 24]! * (1 - w) + TRAFFIC_BY_HOUR[(h + 1) % 24]! * w;
}

// Chance that a rain front crosses the city in a 3-hour block: the monsoon months are wet, winter is drizzle.
const RAIN_CHANCE_BY_MONTH = [0.08, 0.1, 0.15, 0.2, 0.3, 0.38, 0.4, 0.42, 0.35, 0.2, 0.1, 0.06];

/**
 * Rain intensity (mm/h) in an area at a moment. A front passes in a 3-hour block, rising and falling, over about
 * two thirds of the areas, harder in some than in others.
 */
export function rainMmPerHour(seed: number, area: number, ms: number): number {
  const block = Math.floor(ms / RAIN_BLOCK_MS);
  const storm = dailyStorm(seed, area, block);
  if (storm > 0) return storm * Math.sin((Math.PI * (ms - block * RAIN_BLOCK_MS)) / RAIN_BLOCK_MS);
  if (hash01(seed, block, 1) >= RAIN_CHANCE_BY_MONTH[hanoiMonth(ms)]!) return 0;
  if (hash01(seed, block, 1000 + area) >= 0.65) return 0;
  // Mostly showers, now and then a downpour of the 50–100 mm in 2 h kind that floods streets.
  const peak = 4 + 56 * hash01(seed, block, 2) ** 2;
  const local = 0.6 + 0.8 * hash01(seed, block, 2000 + area);
  const phase = (ms - block * RAIN_BLOCK_MS) / RAIN_BLOCK_MS;
  return peak * local * Math.sin(Math.PI * phase);
}

/**
 * Every simulated day has its afternoon storm (13:00 or 16:00 Hanoi, for three hours): a downpour of 25–60 mm/h at
 * its peak over about two fifths of the areas, the low-lying ones where street sensors then see water rise. A demo's
 * day of history always shows a flood and the alerts it raises, whatever the month. Answers the storm's peak in the
 * area during `block`, 0 when none.
 */
function dailyStorm(seed: number, area: number, block: number): number {
  const start = block * RAIN_BLOCK_MS;
  const day = hanoiDay(start);
  const hour = Math.round(hanoiHour(start));
  if (hour !== (hash01(seed, day, 3) < 0.5 ? 13 : 16)) return 0;
  if (hash01(seed, day, 3000 + area) >= 0.4) return 0;
  return (25 + 35 * hash01(seed, day, 4)) * (0.8 + 0.4 * hash01(seed, day, 4000 + area));
}

/** Rain that fell in the area over the last `hours` hours, mm (sampled every 10 minutes). */
export function rainLastHours(seed: number, area: number, ms: number, hours: number): number {
  const steps = hours * 6;
  let mm = 0;
  for (let k = 0; k < steps; k++) mm += rainMmPerHour(seed, area, ms - k * 600_000) / 6;
  return mm;
}

// PM2.5 baseline (µg/m³) by month: Hanoi's winter smog against a cleaner rainy summer.
const PM25_BY_MONTH = [75, 65, 55, 45, 32, 24, 22, 22, 28, 42, 60, 72];

/**
 * City-wide PM2.5 level before local effects: the monthly baseline times a smog factor that drifts day by day
 * (0.6–2.0: still days trap pollution) and a daily cycle peaking with the morning rush and the evening inversion.
 */
export function pm25Background(seed: number, ms: number): number {
  const dayF = hanoiDay(ms);
  const hour = hanoiHour(ms);
  const smog = (d: number) => 0.6 + 1.4 * hash01(seed, d, 7) ** 1.5;
  const w = hour / 24;
  const episode = smog(dayF) * (1 - w) + smog(dayF + 1) * w;
  const daily = 1 + 0.2 * Math.cos((2 * Math.PI * (hour - 8)) / 24) + 0.15 * Math.cos((2 * Math.PI * (hour - 21)) / 12);
  return PM25_BY_MONTH[hanoiMonth(ms)]! * episode * daily;
}

// Mean air temperature (°C) by month in Hanoi.
const TEMP_BY_MONTH = [16.5, 17.5, 20, 24, 28, 30, 30, 29.5, 28.5, 26, 22.5, 18.5];

/** Air temperature: monthly mean plus a daily swing, coolest near 5 h and warmest near 14 h. */
export function temperatureC(ms: number): number {
  const hour = hanoiHour(ms);
  return TEMP_BY_MONTH[hanoiMonth(ms)]! + 3.5 * Math.cos((2 * Math.PI * (hour - 14)) / 24);
}
